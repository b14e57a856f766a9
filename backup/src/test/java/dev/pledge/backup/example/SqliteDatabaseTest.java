package dev.pledge.backup.example;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPI example at work with the real {@code sqlite3}: back up, delete, restore, compare every row. */
class SqliteDatabaseTest {
  private static final Scope SCOPE = Scope.of("shop", "production");
  @TempDir Path tmp;
  private BackupEngine engine;
  private FileStore store;

  @BeforeEach
  void setUp() {
    Requirements.requireCommand("sqlite3", "apt-get install sqlite3");
    engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.at(tmp.resolve("store"));
  }

  @Test
  void anIntegratorsSqliteSourceBacksUpAndRestoresEveryRow() throws Exception {
    Path db = tmp.resolve("shop.db");
    sqlite(db, """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL, note BLOB);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
        INSERT INTO orders SELECT i, 'customer-' || (i % 37), i * 1.25, randomblob(16) FROM n;
        CREATE INDEX orders_customer ON orders (customer);
        """);
    String before = sqlite(db, "SELECT id, customer, total, hex(note) FROM orders ORDER BY id;");

    BackupManifest m = engine.backup(new SqliteDatabase(db), SCOPE, List.of(store));
    Files.delete(db);
    engine.restore(store, m.id(), new SqliteDatabase(db));

    assertThat(m.sourceKind()).isEqualTo("sqlite");
    assertThat(before.lines()).hasSize(2000);
    assertThat(sqlite(db, "SELECT id, customer, total, hex(note) FROM orders ORDER BY id;")).isEqualTo(before);
    assertThat(sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'index';").strip()).isEqualTo("orders_customer");
  }

  @Test
  void aMissingDatabaseFailsTheBackupNamingItAndNothingIsListed() {
    Path missing = tmp.resolve("missing.db");

    assertThatThrownBy(() -> engine.backup(new SqliteDatabase(missing), SCOPE, List.of(store)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("sqlite:" + missing)
        .hasMessageContaining("sqlite3 failed dumping");
    assertThat(engine.list(store, null)).isEmpty();
  }

  private static String sqlite(Path db, String sql) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sqlite3", "-bail", db.toString()).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(sql.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
