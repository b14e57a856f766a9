package dev.pledge.spring.actuate;

import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.ScheduleException;
import dev.pledge.sla.oncall.WeeklyRotation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports whether the policy's on-call rotation keeps P38 from now on: every out-of-hours minute of the
 * next {@code coverWeeks} weeks has an operations engineer on call. {@code UP} when it does, with the
 * engineer on call now (by id) and the next handoff; the configured gap status (default {@code DOWN})
 * with the first gap or ineligible engineer when it does not. Reads the time from the injected clock on
 * each call. Thread-safe.
 */
public final class OnCallHealthIndicator extends AbstractHealthIndicator {
  private final OnCallPolicy policy;
  private final OnCallSchedule schedule;
  private final Clock clock;
  private final Status gapStatus;

  /**
   * An indicator for {@code policy}'s rotation.
   *
   * @param gapStatus the status reported when the coming weeks are not covered
   */
  public OnCallHealthIndicator(OnCallPolicy policy, Clock clock, Status gapStatus) {
    super("on-call coverage check failed");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.schedule = OnCallSchedule.from(policy);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gapStatus = Objects.requireNonNull(gapStatus, "gapStatus");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Instant now = clock.instant();
    Optional<Engineer> onCall = schedule.onCall(now);
    builder.withDetail("onCall", onCall.map(Engineer::id).orElse("nobody"))
        .withDetail("coverWeeks", policy.coverWeeks());
    List<WeeklyRotation.Handoff> next = schedule.nextHandoffs(now, 1);
    if (!next.isEmpty()) {
      builder.withDetail("nextHandoff", next.get(0).at().toString());
    }
    try {
      schedule.validate(now, policy.coverWeeks());
      builder.up().withDetail("covered", true);
    } catch (ScheduleException gap) {
      builder.status(gapStatus).withDetail("covered", false).withDetail("gap", gap.getMessage());
    }
  }
}
