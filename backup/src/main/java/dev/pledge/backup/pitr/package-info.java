/**
 * Point-in-time restore (P9): the {@link dev.pledge.backup.pitr.RestorePlanner} that turns "restore
 * to T" into the full backup and log segments needed, and says what is missing; the
 * {@link dev.pledge.backup.pitr.PitrArchive} that ships full backups
 * ({@link dev.pledge.backup.pitr.PostgresBaseBackup}, {@link dev.pledge.backup.pitr.MariaDbDump}) and
 * every WAL segment or binary log through the encrypted backup pipeline, and restores to T from
 * exactly the planned objects; and the database-specific replay
 * ({@link dev.pledge.backup.pitr.PostgresRecovery}, {@link dev.pledge.backup.pitr.MariaDbRecovery}).
 */
package dev.pledge.backup.pitr;
