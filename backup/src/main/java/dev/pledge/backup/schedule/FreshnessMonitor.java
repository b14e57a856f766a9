package dev.pledge.backup.schedule;

import dev.pledge.core.Scope;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Raises an alert when the newest good backup of a site is older than a threshold (P6, P7): the
 * check that catches a scheduler that silently stopped. It alerts once when a scope goes stale and
 * once when it recovers, not on every check. Thread-safe.
 */
public final class FreshnessMonitor {
  private final Duration threshold;
  private final Clock clock;
  private final Notifier notifier;
  private final Set<Scope> stale = new HashSet<>();

  /**
   * Creates a monitor.
   *
   * @param threshold how old the newest good backup may be, such as 15 minutes for 5-minute backups
   */
  public FreshnessMonitor(Duration threshold, Clock clock, Notifier notifier) {
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("threshold must be greater than zero, got " + threshold);
    }
    this.threshold = threshold;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  /**
   * Checks each scope's newest good backup (empty: none at all) and alerts on the ones that went
   * stale or recovered since the last check.
   *
   * @return the scopes that are stale now
   */
  public synchronized List<Scope> check(Map<Scope, Optional<Instant>> newestGood) {
    Instant now = clock.instant();
    List<Scope> staleNow = new ArrayList<>();
    for (Map.Entry<Scope, Optional<Instant>> e : newestGood.entrySet()) {
      Scope scope = e.getKey();
      Optional<Instant> newest = e.getValue();
      boolean isStale = newest.isEmpty() || Duration.between(newest.get(), now).compareTo(threshold) > 0;
      if (isStale) {
        staleNow.add(scope);
        if (stale.add(scope)) {
          String age = newest.map(t -> "the newest good backup is " + Duration.between(t, now).toMinutes()
              + " min old (from " + t + ")").orElse("there is no good backup at all");
          notifier.send(new Alert(now, AlertSeverity.HIGH, "backups of " + scope + " are stale",
              age + "; the threshold is " + threshold.toMinutes() + " min", "ops", "backup-stale:" + scope));
        }
      } else if (stale.remove(scope)) {
        notifier.send(new Alert(now, AlertSeverity.INFO, "backups of " + scope + " are fresh again",
            "newest good backup at " + newest.get(), "ops", "backup-fresh:" + scope));
      }
    }
    return staleNow;
  }
}
