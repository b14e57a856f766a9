package dev.pledge.backup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTargetTest {
  @TempDir Path tmp;

  /** An archive as a hostile or corrupt backup might hold it: one file entry with {@code path}. */
  private static byte[] archiveWithFile(String path) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write(DirectorySource.MAGIC);
    d.writeByte(DirectorySource.DIR);
    d.writeUTF("");
    d.writeInt(0755);
    d.writeLong(0);
    d.writeByte(DirectorySource.FILE);
    d.writeUTF(path);
    d.writeInt(0644);
    d.writeLong(0);
    d.writeLong(4);
    d.write("evil".getBytes());
    d.writeByte(DirectorySource.END);
    return b.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escaped.txt", "a/../../escaped.txt", "/etc/escaped.txt", "a//b", "./x"})
  void entriesThatEscapeTheRootAreRefusedAndNothingIsLeft(String path) throws IOException {
    Path target = tmp.resolve("out");
    assertThatThrownBy(() -> DirectoryTarget.of(target).restoreFrom(new ByteArrayInputStream(archiveWithFile(path))))
        .isInstanceOf(IOException.class).hasMessageContaining("refused");
    assertThat(target).doesNotExist();
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void aLinkOutOfTheRootIsRefused() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write(DirectorySource.MAGIC);
    d.writeByte(DirectorySource.LINK);
    d.writeUTF("up");
    d.writeInt(0777);
    d.writeLong(0);
    d.writeUTF("../..");
    d.writeByte(DirectorySource.END);
    assertThatThrownBy(() -> DirectoryTarget.of(tmp.resolve("out")).restoreFrom(new ByteArrayInputStream(b.toByteArray())))
        .hasMessageContaining("outside the restore root");
  }

  @Test
  void aTruncatedArchiveIsRefused() throws IOException {
    byte[] whole = archiveWithFile("ok.txt");
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
    assertThatThrownBy(() -> DirectoryTarget.of(tmp.resolve("out")).restoreFrom(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
