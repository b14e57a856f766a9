package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line never prints a password it was given in a URL (issue 19). */
class CliNoSecretTest {
  private static final String SECRET = "Sup3r^Secret";
  @TempDir Path tmp;

  @Test
  void locationsWithPasswordsAreRefusedWithoutEchoingThem() throws IOException {
    String key = tmp.resolve("k").toString();
    assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
    Files.createDirectories(tmp.resolve("src"));
    String[][] runs = {
        {"backup", "run", "--source", "postgres:postgresql://app:" + SECRET + "@db.internal:5432/shop",
            "--store", "file:" + tmp.resolve("s"), "--key-file", key, "--site", "shop", "--env", "production"},
        {"backup", "run", "--source", "pg://app:" + SECRET + "@db.internal/shop",
            "--store", "file:" + tmp.resolve("s"), "--key-file", key, "--site", "shop", "--env", "production"},
        {"backup", "run", "--source", "dir:" + tmp.resolve("src"), "--store", "s3://AKIA:" + SECRET + "@bucket/p",
            "--key-file", key, "--site", "shop", "--env", "production"},
        {"backup", "list", "--store", "ftp://u:" + SECRET + "@host/x"},
        {"access", "list", "--store", "jdbc:oracle://db/x?password=" + SECRET},
        {"breach", "status", "--journal", "mongodb://u:" + SECRET + "@h/x"},
    };
    for (String[] args : runs) {
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err() + r.out()).doesNotContain("Sup3r");
    }
  }
}
