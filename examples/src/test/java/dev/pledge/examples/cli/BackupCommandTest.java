package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCommandTest {
  @TempDir Path tmp;
  private String key;
  private String store;
  private Path site;

  @BeforeEach
  void setUp() throws IOException {
    key = tmp.resolve("master.key").toString();
    store = "file:" + tmp.resolve("store");
    site = Files.createDirectories(tmp.resolve("site/docs"));
    Files.writeString(site.resolve("a.txt"), "alpha");
    assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
  }

  private String run(String... extra) {
    CliRun r = CliRun.of(concat(new String[] {"backup", "run", "--source", "dir:" + tmp.resolve("site"), "--store", store,
        "--key-file", key, "--site", "shop", "--env", "production", "--now", "2026-11-01T06:30:00Z", "--json"}, extra));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.json().get("id").asText();
  }

  @Test
  void keygenRefusesToOverwriteAKey() {
    CliRun r = CliRun.of("backup", "keygen", "--out", key);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("already exists");
    CliRun j = CliRun.of("backup", "keygen", "--out", tmp.resolve("k2").toString(), "--json");
    assertThat(j.json().get("keyId").asText()).startsWith("local:");
  }

  @Test
  void runListRestoreVerifyRoundTrip() throws IOException {
    CliRun r = CliRun.of("backup", "run", "--source", "dir:" + tmp.resolve("site"), "--store", store, "--key-file", key,
        "--site", "shop", "--env", "production", "--now", "2026-11-01T06:30:00Z", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode m = r.json();
    String id = m.get("id").asText();
    assertThat(id).startsWith("20261101T063000Z-");
    assertThat(m.get("site").asText()).isEqualTo("shop");
    assertThat(m.get("startedAt").asText()).isEqualTo("2026-11-01T06:30:00Z");
    assertThat(m.get("plaintextSha256").asText()).hasSize(64);

    CliRun plain = CliRun.of("backup", "run", "--source", "dir:" + tmp.resolve("site"), "--store", store, "--key-file", key,
        "--site", "shop", "--env", "staging");
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out().trim()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");

    JsonNode list = CliRun.of("backup", "list", "--store", store, "--env", "production", "--json").json();
    assertThat(list.get("backups")).hasSize(1);
    assertThat(list.get("backups").get(0).get("id").asText()).isEqualTo(id);
    assertThat(CliRun.of("backup", "list", "--store", store).out().lines()).hasSize(2);

    CliRun restore = CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "dir:" + tmp.resolve("out"),
        "--key-file", key, "--json");
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.json().get("restored").asText()).isEqualTo(id);
    assertThat(Files.readString(tmp.resolve("out/docs/a.txt"))).isEqualTo("alpha");

    CliRun verify = CliRun.of("backup", "verify", "--store", store, "--key-file", key, "--json");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.json().get("checked").asInt()).isEqualTo(2);
    assertThat(verify.json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void listAndVerifyOnAStoreThatDoesNotExistExitTwoNamingIt() {
    String missing = "file:" + tmp.resolve("no/such");
    for (String[] args : List.of(new String[] {"backup", "list", "--store", missing},
        new String[] {"backup", "verify", "--store", missing, "--key-file", key})) {
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).contains(missing).contains("does not exist");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void restoreAtRestoresTheNewestDirectoryBackupCompleteAtThatInstant() throws IOException {
    String first = run();
    Files.writeString(site.resolve("a.txt"), "beta");
    CliRun second = CliRun.of("backup", "run", "--source", "dir:" + tmp.resolve("site"), "--store", store, "--key-file", key,
        "--site", "shop", "--env", "production", "--now", "2026-11-02T06:30:00Z");
    assertThat(second.exitCode()).as(second.err()).isZero();

    CliRun between = CliRun.of("backup", "restore", "--store", store, "--at", "2026-11-02T06:29:59Z",
        "--to", "dir:" + tmp.resolve("between"), "--key-file", key, "--json");
    assertThat(between.exitCode()).as(between.err()).isZero();
    assertThat(between.json().get("restored").asText()).isEqualTo(first);
    assertThat(tmp.resolve("between/docs/a.txt")).hasContent("alpha");

    CliRun exact = CliRun.of("backup", "restore", "--store", store, "--at", "2026-11-02T06:30:00Z",
        "--to", "dir:" + tmp.resolve("exact"), "--key-file", key);
    assertThat(exact.exitCode()).as(exact.err()).isZero();
    assertThat(exact.out()).contains(second.out().trim());
    assertThat(tmp.resolve("exact/docs/a.txt")).hasContent("beta");

    CliRun before = CliRun.of("backup", "restore", "--store", store, "--at", "2026-10-31T00:00:00Z",
        "--to", "dir:" + tmp.resolve("before"), "--key-file", key);
    assertThat(before.exitCode()).isEqualTo(1);
    assertThat(before.err()).contains(first);
    assertThat(tmp.resolve("before")).doesNotExist();
  }

  @Test
  void verifyNamesATamperedBackupAndExitsOne() throws IOException {
    String id = run();
    Path data = tmp.resolve("store/shop/production/" + id + ".data");
    byte[] b = Files.readAllBytes(data);
    b[b.length / 2] ^= 0x40;
    Files.write(data, b);

    CliRun verify = CliRun.of("backup", "verify", "--store", store, "--key-file", key, "--json");
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.json().get("failing").get(0).asText()).isEqualTo(id);
    assertThat(verify.err()).contains(id);

    CliRun restore = CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "dir:" + tmp.resolve("out"), "--key-file", key);
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.err()).contains(id);
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anEditedManifestFailsVerificationAndOneWithoutItsMacIsReportedUnauthenticated() throws IOException {
    String id = run();
    Path manifest = tmp.resolve("store/shop/production/" + id + ".manifest.json");
    String original = Files.readString(manifest);

    Files.writeString(manifest, original.replace("\"sourceDescription\":\"", "\"sourceDescription\":\"edited "));
    CliRun edited = CliRun.of("backup", "verify", "--store", store, "--id", id, "--key-file", key);
    assertThat(edited.exitCode()).as(edited.out() + edited.err()).isEqualTo(1);
    assertThat(edited.out()).startsWith("FAILED  " + id);

    Files.writeString(manifest, original.replaceAll(",?\\s*\"mac\"\\s*:\\s*\"[^\"]*\"", ""));
    assertThat(Files.readString(manifest)).doesNotContain("\"mac\"");
    CliRun refused = CliRun.of("backup", "verify", "--store", store, "--id", id, "--key-file", key);
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
    assertThat(refused.out()).startsWith("FAILED  " + id).contains("requires authenticated manifests");
    CliRun listed = CliRun.of("backup", "list", "--store", store, "--key-file", key);
    assertThat(listed.exitCode()).as(listed.err()).isEqualTo(1);
    assertThat(listed.err()).contains(id);
    CliRun old = CliRun.of("backup", "verify", "--store", store, "--id", id, "--key-file", key,
        "--allow-unauthenticated-manifests");
    assertThat(old.exitCode()).as(old.err()).isZero();
    assertThat(old.out()).contains("ok      " + id).contains("(manifest unauthenticated (written before manifests were authenticated))");
  }

  @Test
  void aWrongKeyFileFailsVerification() {
    String id = run();
    String other = tmp.resolve("other.key").toString();
    CliRun.of("backup", "keygen", "--out", other);
    CliRun verify = CliRun.of("backup", "verify", "--store", store, "--id", id, "--key-file", other);
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("FAILED").contains(id);
  }

  @Test
  void productionIntoStagingIsRefused() {
    String id = run();
    CliRun r = CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "dir:" + tmp.resolve("stg"),
        "--key-file", key, "--to-env", "staging");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("P27");
    assertThat(tmp.resolve("stg")).doesNotExist();
  }

  @Test
  void aStoreOutsideTheHostingRegionsIsRefused() {
    CliRun r = CliRun.of("backup", "run", "--source", "dir:" + tmp.resolve("site"),
        "--store", "s3://bucket-x/p?region=us-east-1&endpoint=http://127.0.0.1:1", "--key-file", key, "--site", "shop");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("us-east-1").contains("P1");
  }

  @Test
  void badInputIsExitTwoNamingTheOption() {
    assertThat(CliRun.of("backup", "run", "--source", "ftp:x", "--store", store, "--key-file", key).err()).contains("--source");
    assertThat(CliRun.of("backup", "run", "--source", "ftp:x", "--store", store, "--key-file", key).exitCode()).isEqualTo(2);
    CliRun badStore = CliRun.of("backup", "list", "--store", "gopher://x");
    assertThat(badStore.exitCode()).isEqualTo(2);
    assertThat(badStore.err()).contains("--store");
    CliRun noKey = CliRun.of("backup", "verify", "--store", store, "--key-file", tmp.resolve("missing.key").toString());
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("--key-file");
    CliRun at = CliRun.of("backup", "restore", "--store", store, "--at", "2026-11-01T06:30:00Z", "--to", "ftp:x", "--key-file", key);
    assertThat(at.exitCode()).isEqualTo(2);
    assertThat(at.err()).contains("--to: 'ftp:x' must be dir:/path (PostgreSQL) or mysql:");
    CliRun both = CliRun.of("backup", "restore", "--store", store, "--id", "x", "--at", "2026-11-01T06:30:00Z", "--to", "dir:/tmp/x", "--key-file", key);
    assertThat(both.exitCode()).isEqualTo(2);
    CliRun pw = CliRun.of("backup", "run", "--source", "postgres:postgresql://app:hunter2@db:5432/shop", "--store", store, "--key-file", key);
    assertThat(pw.exitCode()).isEqualTo(2);
    assertThat(pw.err()).contains("PGPASSWORD").doesNotContain("hunter2");
    CliRun badId = CliRun.of("backup", "verify", "--store", store, "--id", "../x", "--key-file", key);
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.err()).contains("--id");
  }

  @Test
  void anUnknownIdIsBadInputForRestoreAndVerify() {
    run();
    String missing = "20261101T063000Z-deadbeef";
    CliRun restore = CliRun.of("backup", "restore", "--store", store, "--id", missing, "--to", "dir:" + tmp.resolve("out"),
        "--key-file", key);
    assertThat(restore.exitCode()).as(restore.err()).isEqualTo(2);
    assertThat(restore.err()).contains("--id").contains(missing).contains(tmp.resolve("store").toString());
    assertThat(tmp.resolve("out")).doesNotExist();
    CliRun verify = CliRun.of("backup", "verify", "--store", store, "--id", missing, "--key-file", key, "--json");
    assertThat(verify.exitCode()).as(verify.err()).isEqualTo(2);
    assertThat(verify.err()).contains("--id").contains(missing);
    assertThat(verify.out()).isEmpty();
  }

  @Test
  void aRestoreIntoANonEmptyDirectoryIsBadInputAndLeavesItAlone() throws IOException {
    String id = run();
    Path busy = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(busy.resolve("keep.txt"), "mine");
    CliRun r = CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "dir:" + busy, "--key-file", key);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--to").contains(busy.toString());
    assertThat(Files.readString(busy.resolve("keep.txt"))).isEqualTo("mine");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
