package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TotpCommandTest {
  // RFC 6238's SHA-1 seed "12345678901234567890" in base32
  private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  @Test
  void secretPrintsBase32AndAnOtpauthUriWithTheIssuer() {
    CliRun run = CliRun.of("totp", "secret", "--account", "ada@example.com", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode j = run.json();
    String secret = j.get("secret").asText();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(j.get("uri").asText()).startsWith("otpauth://totp/Zaltek:ada%40example.com?secret=" + secret + "&issuer=Zaltek");
  }

  @Test
  void codeMatchesTheRfcVector(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, RFC_SECRET + "\n");
    CliRun run = CliRun.of("totp", "code", "--secret-file", f.toString(), "--at", "2009-02-13T23:31:30Z", "--digits", "8");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo("89005924");
    CliRun sha512 = CliRun.withInput("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA\n",
        "totp", "code", "--at", "1970-01-01T00:00:59Z", "--digits", "8", "--algorithm", "SHA512", "--json");
    assertThat(sha512.exitCode()).as(sha512.err()).isZero();
    assertThat(sha512.json().get("code").asText()).isEqualTo("90693936");
  }

  @Test
  void verifyAcceptsWithinTheSkewAndRejectsOtherwise(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, RFC_SECRET);
    CliRun ok = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", "287082", "--now", "1970-01-01T00:01:20Z");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out().strip()).isEqualTo("accepted");
    CliRun late = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", "287082", "--at", "1970-01-01T00:01:40Z", "--json");
    assertThat(late.exitCode()).isEqualTo(1);
    assertThat(late.json().get("accepted").asBoolean()).isFalse();
  }

  @Test
  void badSecretsAndCodesAreBadInput(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, "NOT-BASE32-!!");
    CliRun bad = CliRun.of("totp", "code", "--secret-file", f.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--secret-file").contains("not base32").doesNotContain("NOT-BASE32");
    Files.writeString(f, RFC_SECRET);
    CliRun code = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", "12ab56");
    assertThat(code.exitCode()).isEqualTo(2);
    assertThat(code.err()).contains("--code: code must be exactly 6 digits");
    CliRun missing = CliRun.of("totp", "code", "--secret-file", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    CliRun digits = CliRun.of("totp", "code", "--secret-file", f.toString(), "--digits", "9");
    assertThat(digits.exitCode()).isEqualTo(2);
    assertThat(digits.err()).contains("--digits must be 6 or 8, got 9");
  }

  /**
   * A code accepted by one run is refused by another sharing the replay store: for Redis the first run
   * is a second JVM; for the databases each run opens its own connections in this one.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"redis://127.0.0.1:6379", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
      "jdbc:mariadb://127.0.0.1:3306/test?user=root"})
  void aReplayedCodeIsRefusedByAnotherProcessSharingTheStore(String store, @TempDir Path dir) throws Exception {
    if (store.startsWith("redis")) {
      dev.pledge.core.testing.Requirements.requireRedis();
    } else if (store.contains("postgresql")) {
      dev.pledge.core.testing.Requirements.requirePostgres();
    } else {
      dev.pledge.core.testing.Requirements.requireMariaDb();
    }
    Path f = dir.resolve("secret");
    Files.writeString(f, RFC_SECRET + "\n");
    String at = "2026-11-21T10:00:00Z";
    String code = CliRun.of("totp", "code", "--secret-file", f.toString(), "--at", at).out().strip();
    String account = "replay-" + java.util.UUID.randomUUID();
    String[] verify = {"totp", "verify", "--secret-file", f.toString(), "--code", code, "--at", at,
        "--account", account, "--replay-store", store};
    CliRun first = store.startsWith("redis") ? ThrottleCommandTest.child(verify) : CliRun.of(verify);
    assertThat(first.exitCode()).as(first.err()).isZero();
    CliRun replay = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", code, "--at", at,
        "--account", account, "--replay-store", store);
    assertThat(replay.exitCode()).as("the same code, another process: refused").isEqualTo(1);
    CliRun other = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", code, "--at", at,
        "--account", account + "-other", "--replay-store", store);
    assertThat(other.exitCode()).as("another account's first use").isZero();
    if (store.startsWith("jdbc:")) {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(store);
           java.sql.PreparedStatement p = c.prepareStatement("DELETE FROM pledge_totp_used WHERE account IN (?, ?)")) {
        p.setString(1, account);
        p.setString(2, account + "-other");
        p.executeUpdate();
      }
    }
  }

  @Test
  void digitsOtherThanSixOrEightAreRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, RFC_SECRET + "\n");
    for (String d : new String[] {"7", "5", "9"}) {
      CliRun run = CliRun.of("totp", "code", "--secret-file", f.toString(), "--digits", d);
      assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).contains("--digits must be 6 or 8, got " + d);
    }
  }

  @Test
  void aMalformedCodeIsBadInputNotARefusal(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, RFC_SECRET + "\n");
    CliRun run = CliRun.of("totp", "verify", "--secret-file", f.toString(), "--code", "12ab56");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--code: code must be exactly 6 digits");
  }
}
