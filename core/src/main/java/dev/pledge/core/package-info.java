/**
 * Pledge's shared kernel: the identifiers and value types every module uses.
 *
 * <h2>Conventions every Pledge module follows</h2>
 * <ul>
 *   <li><b>Time</b> comes from an injected {@link java.time.Clock} (default
 *       {@code Clock.systemUTC()}) or, for hot-path durations, a {@link dev.pledge.core.time.Ticker}.
 *       Main code never reads the wall clock directly; tests drive time with
 *       {@link dev.pledge.core.time.MutableClock} and {@link dev.pledge.core.time.ManualTicker}.
 *   <li><b>Errors</b>: operational and policy failures throw {@link dev.pledge.core.PledgeException}
 *       or a subclass; misuse throws {@code IllegalArgumentException}/{@code IllegalStateException}
 *       with a message that names the field and the value.
 *   <li><b>Secrets</b> never reach a log line, an exception message or {@code toString()}; hold
 *       them in {@link dev.pledge.core.Secret}.
 *   <li><b>Events</b> are immutable records published through
 *       {@link dev.pledge.core.event.EventPublisher}, which isolates listeners from each other.
 *   <li><b>Evidence</b>: every action is recorded in an {@link dev.pledge.core.audit.AuditTrail};
 *       alerts go through a {@link dev.pledge.core.notify.Notifier}.
 * </ul>
 */
package dev.pledge.core;
