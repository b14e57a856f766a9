/**
 * Pledge backups in Amazon S3 and master keys in AWS KMS (P1, P8, P10-P12). Provides the
 * {@code s3://} store and the {@code KMS} key kind to {@code dev.pledge.backup}, and {@code s3://}
 * places for audit checkpoints to {@code dev.pledge.core}.
 */
module dev.pledge.backup.s3 {
  requires transitive dev.pledge.backup;
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.kms;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.retry;

  exports dev.pledge.backup.s3;

  provides dev.pledge.backup.store.BackupStoreProvider with dev.pledge.backup.s3.internal.S3StoreProvider;
  provides dev.pledge.backup.crypto.KeyServiceProvider with dev.pledge.backup.s3.internal.KmsKeyServiceProvider;
  provides dev.pledge.core.audit.CheckpointPublisherProvider
      with dev.pledge.backup.s3.internal.S3CheckpointPublisherProvider;
}
