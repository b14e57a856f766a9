package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.Decision;
import dev.pledge.backup.retention.RetentionPlan;
import dev.pledge.backup.store.S3Location;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * No secret in any audit record (issue 14, item 6) from the S3 retention executor: run on S3Mock with
 * a client holding a distinctive secret access key and session token, it deletes and archives, and
 * fails on a missing bucket; neither the trail's bytes nor the caller's error hold the credentials.
 */
class SecretsInAuditTest {
  private static final String SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYsecret";
  private static final String SESSION_TOKEN = "FwoGZXIvYXdzEJr-session-token-9d1c";
  private static final Scope SCOPE = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-01-01T06:30:00Z");
  private static S3MockServer server;
  private static S3Client s3;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = S3MockServer.start("secrets");
    s3 = S3Client.builder().region(Region.EU_WEST_2).endpointOverride(server.endpoint()).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsSessionCredentials.create("AKIAPLEDGETEST", SECRET_KEY, SESSION_TOKEN)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String id(int n) {
    return String.format("202601%02dT063000Z-0000000%d", n, n % 10);
  }

  private static BackupDecision decision(int n, Decision d) {
    return new BackupDecision(BackupRecord.of(id(n), T0.plus(Duration.ofDays(n))), d, List.of("rule " + n));
  }

  @Test
  void retentionIsAuditedWithoutTheClientsCredentials() throws Exception {
    for (int n = 1; n <= 3; n++) {
      String base = "backups/shop/production/" + id(n);
      s3.putObject(r -> r.bucket("secrets").key(base + ".manifest.json"), RequestBody.fromString("{}"));
      s3.putObject(r -> r.bucket("secrets").key(base + ".data"), RequestBody.fromBytes(new byte[10]));
    }
    Path file = dir.resolve("audit.jsonl");
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(file)) {
      S3Location here = S3Location.parse("s3://secrets/backups?region=eu-west-2&endpoint=" + server.endpoint());
      S3RetentionExecutor.builder(s3, here, SCOPE).auditTrail(trail).dryRun(false).build()
          .apply(RetentionPlan.of(List.of(decision(3, Decision.KEEP), decision(2, Decision.ARCHIVE),
              decision(1, Decision.DELETE)), List.of()));
      assertThat(trail.records()).extracting(r -> r.action()).contains("retention.delete", "retention.archive");
      S3Location missing = S3Location.parse("s3://no-such-bucket/backups?region=eu-west-2&endpoint="
          + server.endpoint());
      assertThatThrownBy(() -> S3RetentionExecutor.builder(s3, missing, SCOPE).auditTrail(trail).dryRun(false).build()
          .apply(RetentionPlan.of(List.of(decision(1, Decision.DELETE)), List.of())))
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(SECRET_KEY)
              .doesNotContain(SESSION_TOKEN));
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains("retention.delete").doesNotContain(SECRET_KEY).doesNotContain(SESSION_TOKEN);
  }
}
