package dev.pledge.spring.actuate;

import dev.pledge.backup.schedule.BackupFreshness;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports, per backup schedule of the policy, whether the newest backup the stores hold (its manifest
 * authenticated under the master key) is younger than the schedule's interval plus a tolerance (P6,
 * P7): {@code UP} when every schedule is fresh, the configured status (default {@code DOWN}) when one is
 * stale or has no backup at all, with each schedule's newest backup, age and allowance in the details.
 * A store that cannot be read reports {@code DOWN} with the reason. Reuses one reading of the stores
 * for {@code checkInterval}. Thread-safe.
 */
public final class BackupFreshnessHealthIndicator extends AbstractHealthIndicator {
  private final BackupFreshness freshness;
  private final Duration checkInterval;
  private final Status staleStatus;

  /**
   * An indicator over {@code freshness}.
   *
   * @param checkInterval how long one reading of the stores is reused
   * @param staleStatus the status reported when a schedule is stale
   */
  public BackupFreshnessHealthIndicator(BackupFreshness freshness, Duration checkInterval, Status staleStatus) {
    super("backup freshness check failed");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
    this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
    this.staleStatus = Objects.requireNonNull(staleStatus, "staleStatus");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, Object> schedules = new LinkedHashMap<>();
    boolean stale = false;
    for (BackupFreshness.Status s : freshness.latest(checkInterval)) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("scope", s.scope().toString());
      d.put("fresh", !s.stale());
      d.put("newest", s.newest().map(Object::toString).orElse("none"));
      if (s.age() != null) {
        d.put("age", s.age().toString());
      }
      d.put("allowed", s.allowed().toString());
      schedules.put(s.schedule(), d);
      stale |= s.stale();
    }
    (stale ? builder.status(staleStatus) : builder.up()).withDetail("schedules", schedules);
  }
}
