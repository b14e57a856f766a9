package dev.pledge.security.totp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.security.internal.DriverManagerDataSource;
import dev.pledge.security.password.PasswordHasher;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two nodes (two guards, two stores, separate connections) sharing the machine's PostgreSQL and
 * MariaDB, and an embedded H2: a code accepted on one node is refused on the other, and of many
 * concurrent attempts exactly one wins.
 */
class SharedReplayTest {

  private static String url(String kind, String prefix) {
    switch (kind) {
      case "postgres":
        Requirements.requirePostgres();
        return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
      case "mariadb":
        Requirements.requireMariaDb();
        return "jdbc:mariadb://127.0.0.1:3306/test?user=root";
      default:
        return "jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1";
    }
  }

  private static void drop(DataSource ds, String... tables) throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String t : tables) {
        st.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb", "h2"})
  void aCodeAcceptedOnOneNodeIsRefusedOnTheOtherAndRacesHaveOneWinner(String kind) throws Exception {
    String prefix = "pt" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    DataSource ds = DriverManagerDataSource.of(url(kind, prefix));
    try {
      ReplayGuard a = JdbcReplayGuard.create(ds, prefix);
      ReplayGuard b = JdbcReplayGuard.create(DriverManagerDataSource.of(url(kind, prefix)), prefix);
      assertThat(a.tryUse("alice", 1000)).isTrue();
      assertThat(b.tryUse("alice", 1000)).as("the same code on the other node").isFalse();
      assertThat(b.tryUse("alice", 999)).as("an earlier code").isFalse();
      assertThat(b.tryUse("alice", 1001)).isTrue();
      assertThat(a.tryUse("alice", 1001)).isFalse();
      assertThat(a.tryUse("bob", 1000)).isTrue();

      assertThat(race(8, i -> (i % 2 == 0 ? a : b).tryUse("carol", 5000))).as("one winner of 8").isEqualTo(1);
      assertThat(race(8, i -> (i % 2 == 0 ? a : b).tryUse("carol", 5001 + i % 2))).as("step 5001 may win, then 5002")
          .isBetween(1, 2);
    } finally {
      drop(ds, prefix + "_totp_used");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb", "h2"})
  void aRecoveryCodeIsRedeemedOnceAcrossNodes(String kind) throws Exception {
    String prefix = "pr" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    DataSource ds = DriverManagerDataSource.of(url(kind, prefix));
    PasswordHasher hasher = PasswordHasher.bcrypt(4);
    try {
      RecoveryCodeStore a = JdbcRecoveryCodeStore.create(ds, prefix);
      RecoveryCodeStore b = JdbcRecoveryCodeStore.create(DriverManagerDataSource.of(url(kind, prefix)), prefix);
      RecoveryCodes.Issued issued = RecoveryCodes.generate(3, hasher, new SecureRandom());
      a.replace("alice", issued.stored());
      String code = issued.codes().get(1);
      assertThat(race(6, i -> RecoveryCodes.redeem("alice", code, hasher, i % 2 == 0 ? a : b)))
          .as("six concurrent redemptions on two nodes: one succeeds").isEqualTo(1);
      assertThat(RecoveryCodes.redeem("alice", code, hasher, b)).as("and never again").isFalse();
      assertThat(b.load("alice").remaining()).isEqualTo(2);
      assertThat(RecoveryCodes.redeem("alice", issued.codes().get(0).toUpperCase(), hasher, b)).isTrue();
      assertThat(RecoveryCodes.redeem("bob", issued.codes().get(2), hasher, a)).as("another account's code").isFalse();
    } finally {
      drop(ds, prefix + "_recovery_codes");
    }
  }

  @Test
  void theInMemoryGuardIsBoundedAndForgetsOnlyAfterTheWindow() {
    ManualTicker ticker = ManualTicker.create();
    ReplayGuard g = ReplayGuard.inMemory(2, Duration.ofSeconds(90), ticker);
    assertThat(g.tryUse("a", 10)).isTrue();
    assertThat(g.tryUse("b", 10)).isTrue();
    assertThat(g.tryUse("c", 10)).as("full of accounts within the window: the newcomer waits").isFalse();
    assertThat(g.tryUse("a", 10)).as("a replay is refused, never forgotten for room").isFalse();
    ticker.advance(Duration.ofSeconds(90));
    assertThat(g.tryUse("c", 13)).as("the window has passed: room again").isTrue();
    assertThat(g.tryUse("c", 13)).isFalse();
  }

  private interface Attempt {
    boolean run(int i) throws Exception;
  }

  private static int race(int threads, Attempt attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        Callable<Boolean> c = () -> {
          go.await();
          return attempt.run(n);
        };
        results.add(pool.submit(c));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : results) {
        if (f.get()) {
          won++;
        }
      }
      return won;
    } finally {
      pool.shutdown();
    }
  }
}
