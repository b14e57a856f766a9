package dev.pledge.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataExporterTest {
  private final MutableClock clock = MutableClock.at("2026-11-21T09:00:00Z");
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();

  private static ClientDataSource inMemory(Map<String, List<Map<String, Object>>> data) {
    return new ClientDataSource() {
      @Override
      public List<String> datasets(String client) {
        return data.keySet().stream().sorted().toList();
      }

      @Override
      public void records(String client, String dataset, Consumer<Map<String, Object>> sink) {
        data.get(dataset).stream().filter(r -> client.equals(r.get("client"))).forEach(sink);
      }
    };
  }

  @Test
  void anExportHoldsEveryRecordOfTheClientAndOnlyThoseAndVerifies(@TempDir Path dir) throws Exception {
    ClientDataSource src = inMemory(Map.of(
        "orders", List.of(Map.of("client", "acme", "id", 1), Map.of("client", "globex", "id", 2),
            Map.of("client", "acme", "id", 3)),
        "users", List.of(Map.of("client", "acme", "email", "a@acme.test"))));
    Path zip = dir.resolve("acme.zip");

    ExportManifest m = new DataExporter(src, clock, audit).export("acme", zip, "support:ana");

    assertThat(m.records()).isEqualTo(3);
    assertThat(m.datasets()).extracting(ExportManifest.Dataset::name).containsExactly("orders", "users");
    assertThat(DataExporter.verify(zip)).isEqualTo(m);
    assertThat(readEntry(zip, "data/orders.jsonl")).doesNotContain("globex").contains("\"id\":1").contains("\"id\":3");
    assertThat(audit.byAction("export.created")).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
      assertThat(r.actor()).isEqualTo("support:ana");
    });
    assertThat(dir.resolve("acme.zip.partial")).doesNotExist();
  }

  @Test
  void aTamperedExportFailsVerificationNamingTheFile(@TempDir Path dir) throws Exception {
    Path zip = dir.resolve("acme.zip");
    new DataExporter(inMemory(Map.of("orders", List.of(Map.of("client", "acme", "id", 1)))), clock, audit)
        .export("acme", zip, "ops");
    Path tampered = dir.resolve("tampered.zip");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
         ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tampered))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] b = in.readAllBytes();
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(e.getName().endsWith(".jsonl") ? "{\"client\":\"acme\",\"id\":9}\n".getBytes() : b);
        out.closeEntry();
      }
    }
    assertThatThrownBy(() -> DataExporter.verify(tampered)).hasMessageContaining("data/orders.jsonl does not match");
  }

  @Test
  void aFailingSourceLeavesNoArchiveAndIsAudited(@TempDir Path dir) {
    ClientDataSource broken = new ClientDataSource() {
      @Override
      public List<String> datasets(String client) {
        return List.of("orders");
      }

      @Override
      public void records(String client, String dataset, Consumer<Map<String, Object>> sink) {
        sink.accept(Map.of("id", 1));
        throw new IllegalStateException("database went away");
      }
    };
    Path zip = dir.resolve("acme.zip");
    assertThatThrownBy(() -> new DataExporter(broken, clock, audit).export("acme", zip, "ops"))
        .isInstanceOf(PledgeException.class).hasMessageContaining("database went away");
    assertThat(zip).doesNotExist();
    assertThat(dir.resolve("acme.zip.partial")).doesNotExist();
    assertThat(audit.byAction("export.created")).singleElement().extracting(r -> r.outcome()).isEqualTo(AuditOutcome.FAILURE);
    assertThatThrownBy(() -> new DataExporter(broken, clock, audit).export("../etc", zip, "ops"))
        .hasMessageContaining("'../etc'");
  }

  @Test
  void exportsTablesWithAClientColumnFromPostgres(@TempDir Path dir) throws Exception {
    Requirements.requirePostgres();
    // A DataSource over DriverManager (core's module does not read java.naming, which the driver's own needs).
    javax.sql.DataSource ds = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
          }
          throw new UnsupportedOperationException(method.getName());
        });
    String t = "pledge_export_" + Long.toHexString(System.nanoTime());
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, client text NOT NULL, total numeric(10,2), at timestamptz)");
      s.execute("INSERT INTO " + t + " VALUES (2, 'acme', 12.50, '2026-11-01T10:00:00Z'), (1, 'acme', 3.00, NULL),"
          + " (3, 'globex', 99.99, NULL)");
    }
    try {
      Path zip = dir.resolve("acme.zip");
      ExportManifest m = new DataExporter(new JdbcClientDataSource(ds, List.of(new JdbcClientDataSource.Table(t, "client", "id"))),
          clock, audit).export("acme", zip, "ops");
      assertThat(m.records()).isEqualTo(2);
      String lines = readEntry(zip, "data/" + t + ".jsonl");
      assertThat(lines.lines()).hasSize(2);
      assertThat(lines.lines().findFirst().orElseThrow()).contains("\"id\":1").contains("\"total\":\"3.00\"");
      assertThat(lines).contains("\"at\":\"2026-11-01T10:00:00Z\"").doesNotContain("globex");
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE " + t);
      }
    }
  }

  private static String readEntry(Path zip, String name) throws Exception {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(name)) {
          return new String(in.readAllBytes());
        }
      }
    }
    throw new AssertionError("no entry " + name);
  }
}
