/**
 * Pledge backup: encrypted streaming backups to local stores, restore and verify, schedules,
 * point-in-time restore and retention planning (P1, P6-P12, P27). Exports API packages only. Stores
 * of other schemes and outside key services come from {@link dev.pledge.backup.store.BackupStoreProvider}
 * and {@link dev.pledge.backup.crypto.KeyServiceProvider} ({@code pledge-backup-s3}).
 */
module dev.pledge.backup {
  requires transitive dev.pledge.core;
  requires com.google.crypto.tink;
  requires com.github.luben.zstd_jni;
  requires com.github.benmanes.caffeine;
  requires io.github.resilience4j.core;
  requires com.cronutils;
  requires org.apache.commons.compress;
  requires org.slf4j;

  exports dev.pledge.backup;
  exports dev.pledge.backup.crypto;
  exports dev.pledge.backup.pitr;
  exports dev.pledge.backup.retention;
  exports dev.pledge.backup.schedule;
  exports dev.pledge.backup.source;
  exports dev.pledge.backup.store;

  opens dev.pledge.backup to com.fasterxml.jackson.databind;
  opens dev.pledge.backup.retention to com.fasterxml.jackson.databind;
  opens dev.pledge.backup.schedule to com.fasterxml.jackson.databind;

  uses dev.pledge.backup.store.BackupStoreProvider;
  uses dev.pledge.backup.crypto.KeyServiceProvider;
  provides dev.pledge.core.policy.PolicySectionProvider with
      dev.pledge.backup.internal.BackupSections,
      dev.pledge.backup.internal.RetentionSections;
  provides dev.pledge.core.evidence.PromiseCheck with dev.pledge.backup.internal.BackupStoresCheck,
      dev.pledge.backup.internal.BackupHistoryCheck, dev.pledge.backup.internal.RestoreMaskingCheck;
}
