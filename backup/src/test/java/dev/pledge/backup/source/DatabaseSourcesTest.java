package dev.pledge.backup.source;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSourcesTest {
  @TempDir Path tmp;

  private BackupEngine engine() {
    return BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
  }

  private static String dbName(String prefix) {
    return prefix + Long.toHexString(new Random().nextLong() & 0xffffffffL);
  }

  private static List<List<Object>> rows(Connection c, String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          Object o = rs.getObject(i);
          row.add(o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : o);
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void aPostgresDatabaseIsBackedUpDroppedRestoredAndEveryRowMatches() throws Exception {
    Requirements.requirePostgres();
    Requirements.requireCommand("pg_dump", "apt-get install postgresql-client");
    String db = dbName("pledge_bk_");
    String admin = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    String url = "jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres";
    String query = "SELECT o.id, o.customer, o.total, o.placed, o.note, i.sku, i.qty FROM orders o "
        + "JOIN items i ON i.order_id = o.id ORDER BY o.id, i.sku";
    List<List<Object>> before;
    try {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2), placed timestamptz, note text)");
        s.execute("CREATE TABLE items (order_id int REFERENCES orders(id), sku text, qty int, PRIMARY KEY (order_id, sku))");
        s.execute("INSERT INTO orders (customer, total, placed, note) SELECT 'customer ' || g, g * 1.25, "
            + "timestamptz '2026-01-01 00:00Z' + g * interval '1 hour', CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ''quoted'' ' || g END "
            + "FROM generate_series(1, 500) g");
        s.execute("INSERT INTO items SELECT id, 'sku-' || k, k FROM orders, generate_series(1, 3) k");
        before = rows(c, query);
      }
      assertThat(before).hasSize(1500);
      BackupEngine engine = engine();
      FileStore store = FileStore.at(tmp.resolve("store"));
      PostgresDatabase pg = PostgresDatabase.of(DatabaseUrl.parse("postgresql://postgres@127.0.0.1:5432/" + db));

      BackupManifest m = engine.backup(pg, Scope.of("shop", "production"), List.of(store));
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + db);
      }
      engine.restore(store, m.id(), pg);

      assertThat(m.sourceKind()).isEqualTo("postgres");
      try (Connection c = DriverManager.getConnection(url)) {
        assertThat(rows(c, query)).isEqualTo(before);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  @Test
  void aMariaDbDatabaseIsBackedUpDroppedRestoredAndEveryRowMatches() throws Exception {
    Requirements.requireMariaDb();
    Requirements.requireCommand("mariadb-dump", "apt-get install mariadb-client");
    String db = dbName("pledge_bk_");
    String admin = "jdbc:mariadb://127.0.0.1:3306/?user=root";
    String query = "SELECT id, name, price, created, photo FROM products ORDER BY id";
    List<List<Object>> before;
    try {
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
        s.execute("USE " + db);
        s.execute("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(100), price DECIMAL(10,2), created DATETIME, photo BLOB) ENGINE=InnoDB");
        for (int i = 1; i <= 300; i++) {
          s.execute("INSERT INTO products VALUES (" + i + ", 'product \\'" + i + "\\' ünï', " + (i * 0.5) + ", '2026-02-03 04:05:06', "
              + (i % 4 == 0 ? "NULL" : "X'00ff" + String.format("%04x", i) + "'") + ")");
        }
        before = rows(c, query);
      }
      assertThat(before).hasSize(300);
      BackupEngine engine = engine();
      FileStore store = FileStore.at(tmp.resolve("store"));
      MysqlDatabase my = MysqlDatabase.of(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/" + db));

      BackupManifest m = engine.backup(my, Scope.of("shop", "production"), List.of(store));
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + db);
      }
      engine.restore(store, m.id(), my);

      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("USE " + db);
        assertThat(rows(c, query)).isEqualTo(before);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  @Test
  void aFailingDumpNamesTheToolAndLeavesNothingListed() {
    Requirements.requirePostgres();
    Requirements.requireCommand("pg_dump", "apt-get install postgresql-client");
    BackupEngine engine = engine();
    FileStore store = FileStore.at(tmp.resolve("store"));
    PostgresDatabase missing = PostgresDatabase.of(DatabaseUrl.parse("postgresql://postgres@127.0.0.1:5432/no_such_db_pledge"));

    assertThatThrownBy(() -> engine.backup(missing, Scope.of("shop", "production"), List.of(store)))
        .hasMessageContaining("pg_dump exited").hasMessageContaining("no_such_db_pledge");
    assertThat(engine.list(store, null)).isEmpty();
  }

  @Test
  void urlsWithPasswordsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:hunter2@db:5432/shop"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2").hasMessageContaining("PGPASSWORD");
    assertThat(DatabaseUrl.parse("mysql://app@db/shop").port()).isEqualTo(3306);
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app@db/shop;drop")).hasMessageContaining("database name");
  }
}
