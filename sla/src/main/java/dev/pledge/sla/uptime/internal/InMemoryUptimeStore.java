package dev.pledge.sla.uptime.internal;

import dev.pledge.core.SiteId;
import dev.pledge.sla.uptime.StateChange;
import dev.pledge.sla.uptime.UptimeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** {@link UptimeStore#inMemory()}. Thread-safe. */
public class InMemoryUptimeStore implements UptimeStore {
  private final List<StateChange> changes = new ArrayList<>();

  @Override
  public synchronized void record(StateChange change) {
    Objects.requireNonNull(change, "change");
    int i = changes.size();
    // keep time order even when nodes report slightly out of order
    while (i > 0 && changes.get(i - 1).at().isAfter(change.at())) {
      i--;
    }
    changes.add(i, change);
  }

  @Override
  public synchronized List<StateChange> changes(SiteId site, Instant from, Instant to) {
    List<StateChange> out = new ArrayList<>();
    for (StateChange c : changes) {
      if (c.site().equals(site) && !c.at().isBefore(from) && c.at().isBefore(to)) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<StateChange> lastBefore(SiteId site, Instant at) {
    StateChange last = null;
    for (StateChange c : changes) {
      if (c.site().equals(site) && c.at().isBefore(at)) {
        last = c;
      }
    }
    return Optional.ofNullable(last);
  }

  @Override
  public synchronized List<SiteId> sites() {
    TreeSet<SiteId> s = new TreeSet<>();
    changes.forEach(c -> s.add(c.site()));
    return List.copyOf(s);
  }
}
