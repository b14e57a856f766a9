package dev.pledge.backup.schedule;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.time.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One node of the two-JVM test: walks through {@code slots} five-minute slots on its own fake clock,
 * ticking its scheduler at each, against the shared PostgreSQL lock; each run it wins is written to
 * the results table. Arguments: jdbc-url lock-table results-table node slots start-instant.
 */
public final class TwoNodeMain {
  private TwoNodeMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String lockTable = args[1];
    String results = args[2];
    String node = args[3];
    int slots = Integer.parseInt(args[4]);
    Instant start = Instant.parse(args[5]);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    MutableClock clock = MutableClock.at(start);
    BackupScheduler s = BackupScheduler.builder(node).clock(clock).lock(JdbcSlotLock.create(ds, lockTable))
        .audit(AuditTrail.discarding()).executor(Runnable::run).build()
        .register(Schedule.of("shop-db-rolling", Scope.of("shop", "production"), Trigger.every(Duration.ofMinutes(5))),
            (scope, slot) -> {
              try (Connection c = ds.getConnection();
                   PreparedStatement ps = c.prepareStatement("INSERT INTO " + results + " VALUES (?, ?)")) {
                ps.setLong(1, slot.toEpochMilli());
                ps.setString(2, node);
                ps.executeUpdate();
              }
            });
    for (int i = 0; i < slots; i++) {
      clock.set(start.plus(Duration.ofMinutes(5L * i)).plusSeconds(1));
      s.tick();
      s.tick();
    }
  }
}
