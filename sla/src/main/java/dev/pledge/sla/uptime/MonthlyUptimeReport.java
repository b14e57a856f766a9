package dev.pledge.sla.uptime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.core.internal.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One site's uptime for one calendar month in a named zone (P2, P3): the month's real length, the
 * downtime that counts, the downtime excused by maintenance announced in time, the uptime figure
 * against the target and what remains of the error budget. Figures are exact: durations are kept
 * to the nanosecond and percentages are {@link BigDecimal}s, so {@code 99.9%} of a 30-day month is
 * exactly 43 min 12 s. Immutable and thread-safe.
 *
 * @param site the site
 * @param month the calendar month
 * @param zone the zone whose calendar defines the month
 * @param start the month's first instant (inclusive)
 * @param end the next month's first instant (exclusive); for a month still running when it was
 *     reported, the instant it was reported as of
 * @param target the uptime target
 * @param downtime downtime that counts against the target
 * @param excluded downtime excused by maintenance announced in time
 * @param incidents the outages of the month, oldest first
 * @param maintenance what was decided for each maintenance window overlapping the month
 */
public record MonthlyUptimeReport(
    SiteId site, YearMonth month, ZoneId zone, Instant start, Instant end, Percentage target,
    Duration downtime, Duration excluded, List<Incident> incidents, List<MaintenanceDecision> maintenance) {

  private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** Validates the report. */
  public MonthlyUptimeReport {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(downtime, "downtime");
    Objects.requireNonNull(excluded, "excluded");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start, got " + start + " and " + end);
    }
    incidents = List.copyOf(incidents);
    maintenance = List.copyOf(maintenance);
  }

  /** The month's length: 30 days, or 30 days less one hour for a month where the clocks go forward. */
  public Duration length() {
    return Duration.between(start, end);
  }

  /** The month's length in whole minutes (every zone offset in use is a whole number of minutes). */
  public long minutes() {
    return length().toMinutes();
  }

  /** The downtime allowed by the target: {@code (1 - target) * length}, exact, in seconds. */
  public BigDecimal allowedDowntimeSeconds() {
    return seconds(length()).multiply(target.complementFraction()).stripTrailingZeros();
  }

  /** The error budget left: allowed downtime less counted downtime, in seconds; negative when overspent. */
  public BigDecimal budgetRemainingSeconds() {
    return allowedDowntimeSeconds().subtract(seconds(downtime));
  }

  /**
   * The uptime in percent, rounded down to 4 decimal places so that a month that missed the target
   * never shows a figure at or above it: {@code 100 * (length - downtime) / length}.
   */
  public BigDecimal uptimePercent() {
    BigDecimal len = seconds(length());
    BigDecimal up = len.subtract(seconds(downtime));
    return plain(up.multiply(HUNDRED).divide(len, 4, RoundingMode.DOWN));
  }

  /** Whether counted downtime stayed within the allowed downtime (exact comparison, no rounding). */
  public boolean met() {
    return seconds(downtime).compareTo(seconds(length()).multiply(target.complementFraction())) <= 0;
  }

  /**
   * The report as JSON: first the fields of the CLI contract ({@code site, month, minutes,
   * downMinutes, excludedMinutes, uptimePercent, target, met}), minutes rounded half-up to 3 decimal
   * places, then exact seconds, the budget, the incidents and the maintenance decisions.
   */
  public ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("site", site.value());
    o.put("month", month.toString());
    o.put("minutes", minutes());
    o.put("downMinutes", minutes(downtime));
    o.put("excludedMinutes", minutes(excluded));
    o.put("uptimePercent", uptimePercent());
    o.put("target", plain(target.value()));
    o.put("met", met());
    o.put("zone", zone.getId());
    o.put("start", start.toString());
    o.put("end", end.toString());
    o.put("downSeconds", plain(seconds(downtime)));
    o.put("excludedSeconds", plain(seconds(excluded)));
    o.put("allowedDownSeconds", plain(allowedDowntimeSeconds()));
    o.put("budgetRemainingSeconds", plain(budgetRemainingSeconds()));
    ArrayNode inc = o.putArray("incidents");
    for (Incident i : incidents) {
      inc.addObject().put("start", i.start().toString()).put("end", i.end().toString())
          .put("countedSeconds", plain(seconds(i.counted()))).put("excludedSeconds", plain(seconds(i.excluded())))
          .put("startedBeforeMonth", i.startedBeforeMonth()).put("endedAfterMonth", i.endedAfterMonth());
    }
    ArrayNode mw = o.putArray("maintenance");
    for (MaintenanceDecision d : maintenance) {
      mw.addObject().put("start", d.window().start().toString()).put("end", d.window().end().toString())
          .put("announced", d.window().announced().toString()).put("emergency", d.window().emergency())
          .put("impact", d.window().impact()).put("excluded", d.excluded()).put("reason", d.reason().name())
          .put("downSecondsInside", plain(seconds(d.downtimeInside())))
          .put("overrunSeconds", plain(seconds(d.overrun()))).put("explanation", d.explanation());
    }
    return o;
  }

  /** An exact number of seconds. */
  static BigDecimal seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
  }

  private static BigDecimal minutes(Duration d) {
    return plain(seconds(d).divide(SIXTY, 3, RoundingMode.HALF_UP));
  }

  /** Strips trailing zeros without switching to exponent notation. */
  static BigDecimal plain(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
