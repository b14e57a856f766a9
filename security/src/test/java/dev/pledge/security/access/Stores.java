package dev.pledge.security.access;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/** The stores the access tests share between brokers, each with unique table names, dropped after. */
final class Stores implements AutoCloseable {
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  private final List<Runnable> cleanups = new ArrayList<>();

  /** A new, empty store of {@code kind} ({@code folder}, {@code h2}, {@code postgres}, {@code mariadb}). */
  AccessStore open(String kind, Path dir) {
    String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    switch (kind) {
      case "folder":
        return AccessStore.folder(dir.resolve(prefix));
      case "h2":
        return AccessStore.jdbc(DriverManagerDataSource.of("jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1"), prefix);
      case "postgres":
        Requirements.requirePostgres();
        return jdbc(POSTGRES, prefix);
      case "mariadb":
        Requirements.requireMariaDb();
        return jdbc(MARIADB, prefix);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private AccessStore jdbc(String url, String prefix) {
    DataSource ds = DriverManagerDataSource.of(url);
    cleanups.add(() -> drop(ds, prefix + "_people", prefix + "_requests", prefix + "_grants"));
    return AccessStore.jdbc(ds, prefix);
  }

  static void drop(DataSource ds, String... tables) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    cleanups.forEach(Runnable::run);
  }
}
