package dev.pledge.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pledge-backup alone: file stores open, S3 locations validate but need pledge-backup-s3 to open. */
class StoresTest {
  @Test
  void aFileLocationOpensAFileStore(@TempDir Path dir) {
    assertThat(Stores.parse("file:" + dir)).isInstanceOf(FileStore.class);
  }

  @Test
  void anS3LocationValidatesWithoutTheS3Artifact() {
    assertThatCode(() -> Stores.validate("s3://backups/shop?region=eu-west-2")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Stores.validate("s3://backups/shop")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
  }

  @Test
  void openingAnS3LocationWithoutTheS3ArtifactNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> Stores.parse("s3://backups/shop?region=eu-west-2"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("pledge-backup-s3");
  }

  @Test
  void anUnknownSchemeIsRefusedByName() {
    assertThatThrownBy(() -> Stores.validate("ftp://host/dir")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://host/dir'").hasMessageContaining("file: or s3://");
  }
}
