package dev.pledge.backup.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.pledge.core.time.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;

/**
 * The {@code retention} section of the policy document (P9, P11, P12). Immutable; absent keys get
 * the defaults below.
 *
 * <pre>{@code
 * retention:
 *   keep: {last: 7, daily: 31, weekly: 13, monthly: 12, yearly: 7, within: 7d}
 *   semantics: pledge          # pledge | restic | borg
 *   zone: Europe/London        # buckets by this zone's wall clock (default UTC)
 *   hotPeriod: 3 months        # P11/P12: retained backups older than this move to cold storage
 *   coldStorageClass: GLACIER  # GLACIER | GLACIER_IR | DEEP_ARCHIVE
 *   pitrWindow: 7 days         # P9: kept restorable to any second in this window
 *   dryRun: true               # plans are only reported unless an operator applies them
 * }</pre>
 *
 * @param keep the keep rules (default: none, which keeps everything)
 * @param semantics {@code pledge} (default), {@code restic} or {@code borg}
 * @param zone the zone id for calendar buckets (default {@code UTC})
 * @param hotPeriod the hot period (default 3 months)
 * @param coldStorageClass the cold class (default GLACIER)
 * @param pitrWindow the point-in-time window (default 7 days)
 * @param dryRun whether plans are reported rather than applied by default (default true)
 */
public record RetentionPolicy(Keep keep, String semantics, String zone, Period hotPeriod,
    ColdStorageClass coldStorageClass, Duration pitrWindow, Boolean dryRun) {

  /** Applies defaults and validates; messages name the key and the value. */
  public RetentionPolicy {
    keep = keep == null ? new Keep(null, null, null, null, null, null, null) : keep;
    semantics = Semantics.parse(semantics == null ? "pledge" : semantics).label();
    zone = zone == null ? "UTC" : zone;
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("zone: unknown zone '" + zone + "' (write e.g. Europe/London or UTC)");
    }
    hotPeriod = hotPeriod == null ? Period.ofMonths(3) : hotPeriod;
    if (hotPeriod.isNegative() || hotPeriod.isZero()) {
      throw new IllegalArgumentException("hotPeriod must be greater than zero, got "
          + Durations.formatPeriod(hotPeriod));
    }
    coldStorageClass = coldStorageClass == null ? ColdStorageClass.GLACIER : coldStorageClass;
    pitrWindow = pitrWindow == null ? Duration.ofDays(7) : pitrWindow;
    dryRun = dryRun == null ? Boolean.TRUE : dryRun;
  }

  /** The defaults: no keep rules, pledge semantics, UTC, 3 months hot, GLACIER, 7 days PITR, dry run. */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(null, null, null, null, null, null, null);
  }

  /** The keep rules as {@link RetentionRules}. */
  @JsonIgnore
  public RetentionRules rules() {
    return keep.toRules();
  }

  /** The semantics as an enum. */
  @JsonIgnore
  public Semantics semanticsValue() {
    return Semantics.parse(semantics);
  }

  /** The zone as a {@link ZoneId}. */
  @JsonIgnore
  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }

  /**
   * The {@code keep} rules of the section; absent counts are off.
   *
   * @param last keep the N newest
   * @param hourly one per hour for N hours
   * @param daily one per day for N days
   * @param weekly one per ISO week for N weeks
   * @param monthly one per month for N months
   * @param yearly one per year for N years
   * @param within everything newer than this duration
   */
  public record Keep(Integer last, Integer hourly, Integer daily, Integer weekly, Integer monthly,
      Integer yearly, Duration within) {

    /** Validates counts: each must be at least 1 when given. */
    public Keep {
      positive("last", last);
      positive("hourly", hourly);
      positive("daily", daily);
      positive("weekly", weekly);
      positive("monthly", monthly);
      positive("yearly", yearly);
    }

    private static void positive(String name, Integer n) {
      if (n != null && n < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 (leave it out to turn it off), got " + n);
      }
    }

    /** These rules as {@link RetentionRules}. */
    public RetentionRules toRules() {
      return new RetentionRules(n(last), n(hourly), n(daily), n(weekly), n(monthly), n(yearly), within);
    }

    private static int n(Integer v) {
      return v == null ? 0 : v;
    }
  }
}
