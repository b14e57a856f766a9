package dev.pledge.security.access;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One node of the two-JVM expiry test: walks through {@code slots} slots on its own fake clock,
 * attempting each twice with its sweeper against the shared PostgreSQL lock and store; each sweep
 * it wins is written to the results table with the number of grants it ended. Arguments: jdbc-url
 * lock-table store-prefix results-table node slots start-instant period-minutes.
 */
public final class SweeperNodeMain {
  private SweeperNodeMain() {}

  public static void main(String[] args) throws Exception {
    DataSource ds = DriverManagerDataSource.of(args[0]);
    String node = args[4];
    int slots = Integer.parseInt(args[5]);
    Instant start = Instant.parse(args[6]);
    Duration period = Duration.ofMinutes(Long.parseLong(args[7]));
    MutableClock clock = MutableClock.at(start);
    AccessBroker broker = AccessBroker.builder(SharedAccessStoreTest.POLICY).clock(clock)
        .audit(AuditTrail.discarding()).store(AccessStore.jdbc(ds, args[2])).node(node).build();
    ExpirySweeper sweeper = ExpirySweeper.builder(broker, JdbcSlotLock.create(ds, args[1])).node(node).clock(clock)
        .period(period).build();
    for (int i = 0; i < slots; i++) {
      clock.set(start.plus(period.multipliedBy(i)).plusSeconds(1));
      for (int attempt = 0; attempt < 2; attempt++) {
        Optional<List<AccessGrant>> swept = sweeper.sweep();
        if (swept.isPresent()) {
          try (Connection c = ds.getConnection();
              PreparedStatement ps = c.prepareStatement("INSERT INTO " + args[3] + " VALUES (?, ?, ?)")) {
            ps.setLong(1, sweeper.slotAt(clock.instant()).toEpochMilli());
            ps.setString(2, node);
            ps.setInt(3, swept.get().size());
            ps.executeUpdate();
          }
        }
      }
    }
  }
}
