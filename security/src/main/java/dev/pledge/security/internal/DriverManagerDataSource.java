package dev.pledge.security.internal;

import dev.pledge.core.Secret;
import dev.pledge.core.jdbc.DataSources;
import javax.sql.DataSource;

/** Internal short names for {@link DataSources}: a data source from a JDBC URL. */
public final class DriverManagerDataSource {
  private DriverManagerDataSource() {}

  /** {@link DataSources#fromUrl(String, String, Secret)}. */
  public static DataSource of(String jdbcUrl, String user, Secret password) {
    return DataSources.fromUrl(jdbcUrl, user, password);
  }

  /** {@link DataSources#fromUrl(String)}. */
  public static DataSource of(String jdbcUrl) {
    return DataSources.fromUrl(jdbcUrl);
  }

  /** {@link DataSources#redact(String)}. */
  public static String redact(String jdbcUrl) {
    return DataSources.redact(jdbcUrl);
  }
}
