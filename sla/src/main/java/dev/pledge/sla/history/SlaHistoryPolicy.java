package dev.pledge.sla.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code slaHistory} section of the policy: where the deployment keeps its SLA and uptime history
 * (P2, P3, P33-P37), which the compliance report reads. Immutable.
 *
 * @param store a JDBC URL: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...} or
 *     {@code jdbc:h2:...}; a relative H2 file ({@code jdbc:h2:./sla-history}) is read from the
 *     policy's folder
 * @param table the tables' name prefix (default {@code pledge_sla})
 */
public record SlaHistoryPolicy(@JsonProperty(required = true) String store, String table) {

  /** The prefix when the policy names none. */
  public static final String DEFAULT_TABLE = "pledge_sla";

  /** Applies the default and validates; messages name the field and never show a password. */
  public SlaHistoryPolicy {
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException("store is required: a jdbc:postgresql://, jdbc:mariadb:// or jdbc:h2: URL");
    }
    store = store.strip();
    if (!store.startsWith("jdbc:postgresql:") && !store.startsWith("jdbc:mariadb:") && !store.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException("store must be a jdbc:postgresql://, jdbc:mariadb:// or jdbc:h2: URL, got '"
          + redacted(store) + "'");
    }
    table = table == null ? DEFAULT_TABLE : table.strip();
    dev.pledge.sla.history.internal.JdbcSlaHistory.checkPrefix(table);
  }

  /**
   * The store's URL with a relative H2 file resolved against {@code base} (the policy's folder), so
   * that the history is found wherever the report runs from.
   */
  public String storeResolvedAgainst(Path base) {
    Objects.requireNonNull(base, "base");
    if (!store.startsWith("jdbc:h2:")) {
      return store;
    }
    String rest = store.substring("jdbc:h2:".length());
    String prefix = "";
    if (rest.startsWith("file:")) {
      prefix = "file:";
      rest = rest.substring("file:".length());
    } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")) {
      return store;
    }
    int semi = rest.indexOf(';');
    String file = semi < 0 ? rest : rest.substring(0, semi);
    String options = semi < 0 ? "" : rest.substring(semi);
    if (file.startsWith("~") || Path.of(file).isAbsolute()) {
      return store;
    }
    return "jdbc:h2:" + prefix + base.toAbsolutePath().resolve(file).normalize() + options;
  }

  /** The URL for messages: no password, no query. */
  public static String redacted(String url) {
    return url.replaceAll("//[^/@]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("\\?.*", "?...");
  }
}
