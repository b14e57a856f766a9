package dev.pledge.sla.uptime;

import dev.pledge.core.SiteId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the history of sites' state changes (P3, P4), so that monthly reports can be made from it
 * and several nodes can share one history (the JDBC store). Implementations are thread-safe.
 */
public interface UptimeStore {

  /** Appends one change. */
  void record(StateChange change);

  /** The changes of {@code site} with {@code from <= at < to}, oldest first. */
  List<StateChange> changes(SiteId site, Instant from, Instant to);

  /** The last change of {@code site} before {@code at}, if any (the state a period starts in). */
  java.util.Optional<StateChange> lastBefore(SiteId site, Instant at);

  /** Every site that has a change in the store, sorted. */
  List<SiteId> sites();

  /**
   * The outages of {@code site} overlapping {@code [from, to)}, from its DOWN and UP changes; an
   * outage still open at {@code to} ends at {@code to}, and one that began before {@code from} starts
   * at its real start.
   */
  default List<Outage> outages(SiteId site, Instant from, Instant to) {
    List<Outage> out = new ArrayList<>();
    Instant downSince = lastBefore(site, from).filter(c -> c.to() == SiteState.DOWN).map(StateChange::at).orElse(null);
    for (StateChange c : changes(site, from, to)) {
      if (c.to() == SiteState.DOWN && downSince == null) {
        downSince = c.at();
      } else if (c.to() == SiteState.UP && downSince != null) {
        if (c.at().isAfter(downSince)) {
          out.add(Outage.of(downSince, c.at()));
        }
        downSince = null;
      }
    }
    if (downSince != null && to.isAfter(downSince)) {
      out.add(Outage.of(downSince, to));
    }
    return out;
  }

  /** A store in memory, lost when the process ends. */
  static UptimeStore inMemory() {
    return new dev.pledge.sla.uptime.internal.InMemoryUptimeStore();
  }

  /** A store in a local JSON Lines file, one change per line, appended and flushed on each record. */
  static UptimeStore jsonLines(Path file) {
    return new dev.pledge.sla.uptime.internal.JsonLinesUptimeStore(file);
  }

  /** Opens connections for {@link #jdbc}. */
  @FunctionalInterface
  interface ConnectionFactory {
    /** A new connection; the store closes it. */
    Connection open() throws SQLException;
  }

  /**
   * A store in a PostgreSQL or MariaDB table {@code pledge_uptime_changes}, created when missing,
   * so that several nodes share one history.
   */
  static UptimeStore jdbc(ConnectionFactory connections) {
    return new dev.pledge.sla.uptime.internal.JdbcUptimeStore(connections);
  }
}
