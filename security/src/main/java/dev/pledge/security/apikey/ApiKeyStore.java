package dev.pledge.security.apikey;

import dev.pledge.security.apikey.internal.JdbcApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Where {@link ApiKeys} keeps its keys' ids, owners and hashes. Implementations must be
 * thread-safe; {@link #revoke} is conditional, so exactly one caller revokes a key.
 */
public interface ApiKeyStore {

  /** Adds a new key; its id must be new. */
  void insert(ApiKey key);

  /** The key with {@code id}. */
  Optional<ApiKey> find(String id);

  /** Every key, oldest first. */
  List<ApiKey> all();

  /** Revokes the active key {@code id}; returns whether this call revoked it. */
  boolean revoke(String id, Instant at, String reason);

  /** A store in the table {@code table} of {@code dataSource} (PostgreSQL, MariaDB, H2), created when missing. */
  static ApiKeyStore jdbc(DataSource dataSource, String table) {
    return JdbcApiKeyStore.create(dataSource, table);
  }

  /** A store in memory, for tests. */
  static ApiKeyStore inMemory() {
    ConcurrentHashMap<String, ApiKey> keys = new ConcurrentHashMap<>();
    return new ApiKeyStore() {
      @Override
      public void insert(ApiKey key) {
        if (keys.putIfAbsent(key.id(), key) != null) {
          throw new IllegalStateException("key " + key.id() + " exists");
        }
      }

      @Override
      public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
      }

      @Override
      public List<ApiKey> all() {
        return keys.values().stream().sorted(java.util.Comparator.comparing(ApiKey::createdAt)
            .thenComparing(ApiKey::id)).toList();
      }

      @Override
      public boolean revoke(String id, Instant at, String reason) {
        boolean[] done = {false};
        keys.computeIfPresent(id, (k, v) -> {
          if (!v.active()) {
            return v;
          }
          done[0] = true;
          return new ApiKey(v.id(), v.owner(), v.label(), v.hash(), v.createdAt(), at, reason);
        });
        return done[0];
      }
    };
  }
}
