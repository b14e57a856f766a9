package dev.pledge.security.totp;

import dev.pledge.core.time.Ticker;
import dev.pledge.security.internal.DriverManagerDataSource;
import dev.pledge.security.ratelimit.internal.KeyTable;
import dev.pledge.security.store.StoreProvider;
import dev.pledge.security.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;

/**
 * Remembers which time steps an account has used, so that a TOTP code accepted once is never
 * accepted again (P26). Implementations must be thread-safe and atomic per account. Several servers
 * verifying codes share one guard: {@link JdbcReplayGuard} (PostgreSQL, MariaDB, H2) or
 * {@code RedisReplayGuard} ({@code pledge-security-redis}), chosen by {@code twoFactor.replayStore}
 * through {@link #open}; {@link #inMemory()} protects one process only.
 */
public interface ReplayGuard {

  /**
   * Records that {@code account} used the code of {@code timeStep}. Answers {@code false}, and records
   * nothing, when that step or a later one was already used by the account.
   *
   * @throws StoreUnavailableException when a shared store does not answer (the code must not be accepted)
   */
  boolean tryUse(String account, long timeStep);

  /**
   * In this process only, lost when it ends: at most 1,000,000 accounts, each remembered for an hour
   * after its last code (longer than any verification window {@link TotpConfig} allows at 30 s steps).
   */
  static ReplayGuard inMemory() {
    return inMemory(1_000_000, Duration.ofHours(1), Ticker.system());
  }

  /**
   * In this process only, bounded: at most {@code maximumAccounts} accounts, each remembered for
   * {@code window} after its last code (at least {@link TotpConfig#verificationWindow()}). When every
   * remembered account used a code within the window and the table is full, a new account's code is
   * refused (the user tries again with the next code) rather than any used step forgotten early.
   * About 70 bytes an account plus its name.
   */
  static ReplayGuard inMemory(long maximumAccounts, Duration window, Ticker ticker) {
    Objects.requireNonNull(ticker, "ticker");
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be greater than zero, got " + window);
    }
    long windowNanos = window.toNanos();
    record Used(long step, long at) {}
    KeyTable<String, Used> used = new KeyTable<>(maximumAccounts, (u, now) -> now - u.at() >= windowNanos,
        1_000_000_000L);
    return (account, step) -> {
      Objects.requireNonNull(account, "account");
      long now = ticker.read();
      boolean[] ok = new boolean[1];
      Used recorded = used.update(account, now, (k, prev) -> {
        if (prev == null || now - prev.at() >= windowNanos || step > prev.step()) {
          ok[0] = true;
          return new Used(prev == null || now - prev.at() >= windowNanos ? step : Math.max(step, prev.step()), now);
        }
        ok[0] = false;
        return prev;
      });
      return recorded != null && ok[0]; // null: a new account found the table full
    };
  }

  /**
   * A shared guard at {@code address}: {@code redis://host:port[/db]} (needs {@code pledge-security-redis}
   * on the class path), {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...} or {@code jdbc:h2:...}
   * (table {@code pledge_totp_used}), remembering used steps for {@code window}.
   *
   * @throws IllegalArgumentException when the address is of no supported kind
   * @throws StoreUnavailableException when the store cannot be reached
   */
  static ReplayGuard open(String address, Duration window) {
    Objects.requireNonNull(address, "address");
    if (address.startsWith("jdbc:")) {
      return JdbcReplayGuard.create(DriverManagerDataSource.of(address), "pledge");
    }
    return StoreProvider.forAddress(address)
        .flatMap(p -> p.replayGuard(address, window))
        .orElseThrow(() -> new IllegalArgumentException(address.startsWith("redis")
            ? "a redis:// replay store needs pledge-security-redis on the class path"
            : "replay store must be redis://host:port, jdbc:postgresql://..., jdbc:mariadb://... or jdbc:h2:..."));
  }
}
