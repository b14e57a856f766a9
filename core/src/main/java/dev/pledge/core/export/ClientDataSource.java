package dev.pledge.core.export;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a client's data lives, as the host application knows it (P40): the data sets a client owns
 * and their records. Implement it over the host's own store; {@link JdbcClientDataSource} covers
 * tables that carry a client column.
 */
public interface ClientDataSource {

  /** The names of the data sets {@code client} has, such as {@code orders}, in a stable order. */
  List<String> datasets(String client) throws Exception;

  /** Streams every record of {@code dataset} that belongs to {@code client}, in a stable order. */
  void records(String client, String dataset, Consumer<Map<String, Object>> sink) throws Exception;
}
