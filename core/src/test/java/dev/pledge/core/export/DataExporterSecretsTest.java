package dev.pledge.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any audit record (issue 14, item 6) from the data exporter: records holding passwords
 * and tokens go into the archive only, and a source whose failure quotes its connection string,
 * password included, leaves neither the trail nor the caller's error holding it.
 */
class DataExporterSecretsTest {
  private static final String DB_PASSWORD = "exp-Db-hunter2-31c9";
  private static final String TOKEN = "tok_live_77aa01bc9e4f";

  @TempDir Path dir;

  @Test
  void exportsAndFailuresAreAuditedWithoutTheSecretsInTheDataOrTheSourcesErrors() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(file)) {
      ClientDataSource data = new ClientDataSource() {
        @Override
        public List<String> datasets(String client) {
          return List.of("accounts");
        }

        @Override
        public void records(String client, String dataset, Consumer<Map<String, Object>> sink) throws Exception {
          if (client.equals("globex")) {
            throw new java.sql.SQLException("cannot connect to jdbc:postgresql://app:" + DB_PASSWORD
                + "@db.internal/crm?token=" + TOKEN);
          }
          sink.accept(Map.of("user", "ana", "apiToken", TOKEN, "password", DB_PASSWORD));
        }
      };
      DataExporter exporter = new DataExporter(data, clock, trail);
      exporter.export("acme", dir.resolve("acme.zip"), "dpo");
      assertThatThrownBy(() -> exporter.export("globex", dir.resolve("globex.zip"), "dpo"))
          .isInstanceOf(PledgeException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("app:***@db.internal")
              .doesNotContain(DB_PASSWORD).doesNotContain(TOKEN));
      assertThat(trail.records()).hasSize(4); // each export: its request, then its outcome
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).contains("export.created").doesNotContain(DB_PASSWORD).doesNotContain(TOKEN);
  }
}
