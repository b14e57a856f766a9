package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** With pledge-backup-s3 present, pledge-backup's own entry points open S3 stores and KMS keys. */
class S3ProvidersTest {
  @Test
  void storesOpensAnS3LocationThroughTheProvider() {
    BackupStore store = Stores.parse("s3://backups/shop?region=eu-west-2&endpoint=http://127.0.0.1:9");
    assertThat(store).isInstanceOf(S3Store.class);
    ((S3Store) store).close();
  }

  @Test
  void theKmsKeyKindBuildsAKmsKeyWrapperWithoutContactingKms() {
    var key = new BackupPolicy.KeySettings(BackupPolicy.KeyKind.KMS, null, "alias/backups", "eu-west-2");
    assertThat(key.keyWrapper(Path.of("."))).isInstanceOf(KmsKeyWrapper.class);
  }
}
