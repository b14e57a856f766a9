package dev.pledge.security.password;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records forced password resets (P30): for every account, or for some. A password set before the
 * latest reset that applies to its account must be changed. Implementations must be thread-safe;
 * {@link #inMemory()} is the default, integrators back it with their database.
 */
public interface ForcedResets {

  /** Forces every account whose password was set before {@code at} to change it. */
  void forceAll(Instant at);

  /** Forces {@code accounts} whose passwords were set before {@code at} to change them. */
  void force(Collection<String> accounts, Instant at);

  /** The latest forced reset that applies to {@code account}, if any. */
  Optional<Instant> latestFor(String account);

  /**
   * A record in the table {@code table} of {@code dataSource} (PostgreSQL, MariaDB, H2), created when
   * missing, shared by every node.
   */
  static ForcedResets jdbc(javax.sql.DataSource dataSource, String table) {
    return dev.pledge.security.password.internal.JdbcForcedResets.create(dataSource, table);
  }

  /** An in-memory record, lost when the process ends. */
  static ForcedResets inMemory() {
    return new ForcedResets() {
      private final AtomicReference<Instant> all = new AtomicReference<>();
      private final ConcurrentHashMap<String, Instant> some = new ConcurrentHashMap<>();

      @Override
      public void forceAll(Instant at) {
        Objects.requireNonNull(at, "at");
        all.accumulateAndGet(at, (a, b) -> a == null || b.isAfter(a) ? b : a);
      }

      @Override
      public void force(Collection<String> accounts, Instant at) {
        Objects.requireNonNull(at, "at");
        for (String a : Objects.requireNonNull(accounts, "accounts")) {
          some.merge(Objects.requireNonNull(a, "account"), at, (x, y) -> y.isAfter(x) ? y : x);
        }
      }

      @Override
      public Optional<Instant> latestFor(String account) {
        Instant a = all.get();
        Instant s = some.get(account);
        if (a == null) {
          return Optional.ofNullable(s);
        }
        return Optional.of(s == null || a.isAfter(s) ? a : s);
      }
    };
  }
}
