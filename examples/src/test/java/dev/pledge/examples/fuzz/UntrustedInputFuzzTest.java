package dev.pledge.examples.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.core.internal.Json;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.Durations;
import dev.pledge.examples.cli.CliRun;
import dev.pledge.security.totp.OtpAuthUri;
import dev.pledge.security.totp.TotpConfig;
import dev.pledge.security.totp.TotpSecret;
import dev.pledge.sla.clock.IcsHolidays;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * Jazzer fuzz targets for every untrusted input Pledge parses (issue 19): durations, policy
 * documents, ICS calendars, backup manifests, database URLs, TOTP secrets and otpauth URIs, and the
 * JSON Lines files the command line reads. One class in the module that sees every other, so the CI
 * pays Jazzer's start-up once.
 *
 * <p>In the regular suite each target runs in regression mode: the committed inputs under
 * {@code src/test/resources/dev/pledge/examples/fuzz/UntrustedInputFuzzTestInputs/<target>/} (every
 * finding is kept there) and an empty input. {@code JAZZER_FUZZ=1} fuzzes one target for real (see the
 * README). The contract checked: bad input is refused with the documented exception and a message in
 * the user's words; any other exception, a hang or a leaked secret is a finding.
 */
class UntrustedInputFuzzTest {
  private static final PolicyLoader LOADER = PolicyLoader.create();
  private static final String SECRET = "Sup3rSecret";

  @FuzzTest(maxDuration = "60s")
  void durations(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      Duration d = Durations.parse(text);
      check(!d.isNegative(), "a negative duration from '" + text + "'");
    } catch (IllegalArgumentException e) {
      requireMessage(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void policyDocuments(FuzzedDataProvider data) {
    boolean json = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    try {
      LOADER.load(json ? "p.json" : "p.yaml", text);
    } catch (PolicyException e) {
      requireMessage(e);
      check(!e.getMessage().contains("REDACTED") && !e.getMessage().contains("com.fasterxml"),
          "a message in Jackson's words: " + e.getMessage());
      // nor the YAML parser's (a word the document itself holds may be quoted back as a value)
      for (String jargon : new String[] {"org.yaml", "snakeyaml", "Exception", "while parsing", "while scanning",
          "<stream end>", "<block end>", "Event("}) {
        check(!e.getMessage().contains(jargon) || text.contains(jargon),
            "a message in the YAML parser's words (" + jargon + "): " + e.getMessage());
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void icsCalendars(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      IcsHolidays.parse("f.ics", text, ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      requireMessage(e);
      check(e.getMessage().startsWith("f.ics"), "an ICS error that does not name the file: " + e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "60s")
  void backupManifests(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      Json.mapper().readValue(bytes, BackupManifest.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      requireMessage(e);
    } catch (IOException e) {
      throw new AssertionError("reading bytes in memory failed", e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void databaseUrls(FuzzedDataProvider data) {
    String user = data.consumeString(20);
    String host = data.consumeString(30);
    String rest = data.consumeRemainingAsString();
    for (String url : new String[] {rest, "postgresql://" + user + ":" + SECRET + "@" + host + rest,
        "mysql://" + user + "@" + host + "/" + rest + "?password=" + SECRET}) {
      try {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        check(!parsed.toString().contains(SECRET), "a parsed URL keeps the password");
      } catch (IllegalArgumentException e) {
        requireMessage(e);
        check(!e.getMessage().contains(SECRET), "the password in a message: " + e.getMessage());
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void totpSecretsAndOtpauthUris(FuzzedDataProvider data) {
    String issuer = data.consumeString(40);
    String account = data.consumeString(60);
    String base32 = data.consumeRemainingAsString();
    TotpSecret secret;
    try {
      secret = TotpSecret.fromBase32(base32);
    } catch (IllegalArgumentException e) {
      requireMessage(e);
      check(base32.length() < 8 || !e.getMessage().contains(base32), "the secret in a message");
      return;
    }
    try {
      String uri = OtpAuthUri.of(secret, issuer, account, TotpConfig.defaults());
      URI parsed = URI.create(uri);
      check("otpauth".equals(parsed.getScheme()), "not an otpauth URI: " + uri);
    } catch (IllegalArgumentException e) {
      requireMessage(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void cliJsonLines(FuzzedDataProvider data) throws IOException {
    boolean uptime = data.consumeBoolean();
    String lines = data.consumeRemainingAsString();
    Path file = Files.createTempFile("pledge-fuzz", ".jsonl");
    try {
      Files.writeString(file, lines);
      CliRun r = uptime
          ? CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--outages", file.toString(),
              "--now", "2026-11-15T00:00:00Z", "--json")
          : CliRun.of("retention", "plan", "--backups", file.toString(), "--now", "2026-11-15T00:00:00Z", "--json");
      check(r.exitCode() <= 2, "exit " + r.exitCode() + ": " + r.err());
      check(!r.err().contains("Exception") && !r.err().contains("com.fasterxml") && !r.err().contains("REDACTED"),
          "a message in Java's words: " + r.err());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void requireMessage(Exception e) {
    check(e.getMessage() != null && !e.getMessage().isBlank(), "refused without a message: " + e);
  }

  private static void check(boolean ok, String finding) {
    if (!ok) {
      throw new AssertionError(finding);
    }
  }
}
