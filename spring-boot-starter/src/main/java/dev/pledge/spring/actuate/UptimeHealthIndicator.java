package dev.pledge.spring.actuate;

import dev.pledge.core.SiteId;
import dev.pledge.sla.uptime.SiteState;
import dev.pledge.sla.uptime.UptimeMonitor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports the state an {@link UptimeMonitor} holds for each site the policy probes (P4): {@code UP} when
 * every site is up, the configured status (default {@code DOWN}) when one is down, with each site's state
 * in the details. The monitor is the application's own (it owns the probes' executor, store and
 * notifier); this only reads it. Thread-safe.
 */
public final class UptimeHealthIndicator extends AbstractHealthIndicator {
  private final UptimeMonitor monitor;
  private final List<SiteId> sites;
  private final Status siteDownStatus;

  /**
   * An indicator for {@code sites} as {@code monitor} sees them.
   *
   * @param siteDownStatus the status reported when a site is down
   */
  public UptimeHealthIndicator(UptimeMonitor monitor, List<SiteId> sites, Status siteDownStatus) {
    super("uptime check failed");
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.sites = List.copyOf(sites);
    this.siteDownStatus = Objects.requireNonNull(siteDownStatus, "siteDownStatus");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, String> states = new LinkedHashMap<>();
    boolean down = false;
    for (SiteId site : sites) {
      SiteState state = monitor.state(site);
      states.put(site.toString(), state.name());
      down |= state == SiteState.DOWN;
    }
    (down ? builder.status(siteDownStatus) : builder.up()).withDetail("sites", states);
  }
}
