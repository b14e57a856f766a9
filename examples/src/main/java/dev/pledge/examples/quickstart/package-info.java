/**
 * One short runnable program per module, each a {@code main} that shows the module's primitives on
 * the bundled policy: {@link dev.pledge.examples.quickstart.PolicyExample} (core),
 * {@link dev.pledge.examples.quickstart.PasswordExample} and
 * {@link dev.pledge.examples.quickstart.RateLimitExample} (security),
 * {@link dev.pledge.examples.quickstart.BackupExample} and
 * {@link dev.pledge.examples.quickstart.RetentionExample} (backup),
 * {@link dev.pledge.examples.quickstart.SlaExample} and
 * {@link dev.pledge.examples.quickstart.UptimeExample} (sla). Run one with
 * {@code java -cp examples/target/pledge.jar dev.pledge.examples.quickstart.BackupExample}.
 */
package dev.pledge.examples.quickstart;
