package dev.pledge.core.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link ClientDataSource} over database tables that carry a client column: each configured table
 * is a data set, its rows whose client column equals the client are the client's records, ordered by
 * the table's key column. Thread-safe.
 */
public final class JdbcClientDataSource implements ClientDataSource {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final Map<String, Table> tables;

  /**
   * One table.
   *
   * @param name the table
   * @param clientColumn the column holding the owning client's id
   * @param keyColumn the column that orders the export
   */
  public record Table(String name, String clientColumn, String keyColumn) {
    /** Validates the identifiers, which are written into SQL. */
    public Table {
      for (String id : List.of(name, clientColumn, keyColumn)) {
        if (id == null || !IDENT.matcher(id).matches()) {
          throw new IllegalArgumentException("not a plain SQL identifier: '" + id + "'");
        }
      }
    }
  }

  /** A source over {@code tables} of {@code dataSource}. */
  public JdbcClientDataSource(DataSource dataSource, List<Table> tables) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    Map<String, Table> m = new LinkedHashMap<>();
    for (Table t : tables) {
      m.put(t.name(), t);
    }
    this.tables = Map.copyOf(m);
    if (this.tables.isEmpty()) {
      throw new IllegalArgumentException("at least one table is needed");
    }
  }

  @Override
  public List<String> datasets(String client) {
    return tables.keySet().stream().sorted().toList();
  }

  @Override
  public void records(String client, String dataset, Consumer<Map<String, Object>> sink) throws Exception {
    Table t = tables.get(dataset);
    if (t == null) {
      throw new IllegalArgumentException("unknown data set '" + dataset + "'");
    }
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t.name() + " WHERE " + t.clientColumn()
             + " = ? ORDER BY " + t.keyColumn())) {
      ps.setFetchSize(500);
      ps.setString(1, client);
      try (ResultSet r = ps.executeQuery()) {
        ResultSetMetaData md = r.getMetaData();
        while (r.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = r.getObject(i);
            row.put(md.getColumnLabel(i), v instanceof java.sql.Timestamp ts ? ts.toInstant().toString()
                : v instanceof java.sql.Date d ? d.toLocalDate().toString()
                : v instanceof java.math.BigDecimal bd ? bd.toPlainString() : v);
          }
          sink.accept(row);
        }
      }
    }
  }
}
