/**
 * Point-in-time restore (P9): the {@link dev.pledge.backup.pitr.RestorePlanner} that turns "restore
 * to T" into the full backup and log segments needed, and says what is missing.
 */
package dev.pledge.backup.pitr;
