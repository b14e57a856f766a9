package dev.pledge.sla.uptime;

import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.MaintenanceDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns outage records and maintenance windows into monthly uptime reports (P2, P3, P39).
 *
 * <p>The rules, in order: outage records are sorted and overlapping or touching records merged; a
 * merged outage shorter than the minimum outage is ignored (its whole length decides, even when it
 * spans a month boundary); what is left is cut at the month's boundaries in the calculator's zone.
 * Downtime inside a maintenance window is excluded only when the window was announced at least the
 * notice period before its start and is not an emergency; downtime after the window's end (an
 * overrun) and inside late or emergency windows counts. The month's length is its real length in
 * the zone (a 31-day month in which clocks go forward is 44,580 minutes), and every excluded minute
 * still belongs to the month's length.
 *
 * <p>Immutable and thread-safe.
 */
public final class UptimeCalculator {
  private final Percentage target;
  private final ZoneId zone;
  private final Duration minimumOutage;
  private final Duration notice;

  private UptimeCalculator(Builder b) {
    this.target = b.target;
    this.zone = b.zone;
    this.minimumOutage = b.minimumOutage;
    this.notice = b.notice;
  }

  /** A builder with the defaults of the policy: 99.9%, UTC, 1-minute minimum outage, 72 hours' notice. */
  public static Builder builder() {
    return new Builder();
  }

  /** A calculator with the figures of the {@code uptime} and {@code maintenance} policy sections. */
  public static UptimeCalculator from(UptimePolicy uptime, MaintenancePolicy maintenance) {
    return builder(uptime, maintenance).build();
  }

  /**
   * A builder pre-filled with the figures of the {@code uptime} section (target, zone, minimum outage)
   * and the {@code maintenance} section (notice), to change one of them before {@link Builder#build()}.
   *
   * @param uptime the {@code uptime} section
   * @param maintenance the {@code maintenance} section
   * @return the builder
   */
  public static Builder builder(UptimePolicy uptime, MaintenancePolicy maintenance) {
    return builder().target(uptime.target()).zone(uptime.zoneId()).minimumOutage(uptime.minimumOutage())
        .notice(maintenance.notice());
  }

  /** A builder with this calculator's figures. */
  public Builder toBuilder() {
    return builder().target(target).zone(zone).minimumOutage(minimumOutage).notice(notice);
  }

  /** The target. */
  public Percentage target() {
    return target;
  }

  /** The zone whose calendar months are reported. */
  public ZoneId zone() {
    return zone;
  }

  /** The month's first instant in this calculator's zone. */
  public Instant monthStart(YearMonth month) {
    return month.atDay(1).atStartOfDay(zone).toInstant();
  }

  /**
   * The report of {@code site} for {@code month}.
   *
   * @param outages outage records in any order; records outside the month are ignored
   * @param windows maintenance windows in any order; windows outside the month are ignored
   */
  public MonthlyUptimeReport report(SiteId site, YearMonth month, Collection<Outage> outages,
      Collection<MaintenanceWindow> windows) {
    Objects.requireNonNull(month, "month");
    return report(site, month, outages, windows, monthStart(month.plusMonths(1)));
  }

  /**
   * The report of {@code site} for {@code month} as it stands at {@code asOf} (the caller's clock): a
   * month still running then is judged over its part up to {@code asOf}, the report's end, so its
   * length, error budget and uptime are those of the time that has passed and no future minute counts
   * as up; a month over by then is reported whole, as {@link #report(SiteId, YearMonth, Collection,
   * Collection)} does.
   *
   * @param outages outage records in any order; parts after {@code asOf} are ignored
   * @param windows maintenance windows in any order
   * @throws IllegalArgumentException when the month has not begun at {@code asOf}
   */
  public MonthlyUptimeReport report(SiteId site, YearMonth month, Collection<Outage> outages,
      Collection<MaintenanceWindow> windows, Instant asOf) {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(asOf, "asOf");
    Instant from = monthStart(month);
    Instant monthEnd = monthStart(month.plusMonths(1));
    if (!asOf.isAfter(from)) {
      throw new IllegalArgumentException("month " + month + " has not begun at " + asOf + " in " + zone.getId());
    }
    Instant to = asOf.isBefore(monthEnd) ? asOf : monthEnd;
    List<Outage> counted = significant(merge(outages));

    List<MaintenanceWindow> inMonth = new ArrayList<>();
    for (MaintenanceWindow w : windows) {
      if (w.start().isBefore(to) && w.end().isAfter(from)) {
        inMonth.add(w);
      }
    }
    inMonth.sort((a, b) -> a.start().compareTo(b.start()));
    List<Outage> excusing = new ArrayList<>();
    for (MaintenanceWindow w : inMonth) {
      if (reason(w) == Reason.ANNOUNCED_IN_TIME) {
        excusing.add(new Outage(w.start(), w.end()));
      }
    }
    excusing = merge(excusing);

    List<Incident> incidents = new ArrayList<>();
    Duration down = Duration.ZERO;
    Duration excluded = Duration.ZERO;
    for (Outage o : counted) {
      Instant s = max(o.start(), from);
      Instant e = min(o.end(), to);
      if (!e.isAfter(s)) {
        continue;
      }
      Duration ex = overlap(s, e, excusing);
      Duration len = Duration.between(s, e);
      incidents.add(new Incident(s, e, len.minus(ex), ex, o.start().isBefore(from), o.end().isAfter(to)));
      down = down.plus(len.minus(ex));
      excluded = excluded.plus(ex);
    }

    List<MaintenanceDecision> decisions = new ArrayList<>();
    for (MaintenanceWindow w : inMonth) {
      Instant ws = max(w.start(), from);
      Instant we = min(w.end(), to);
      Duration inside = overlap(ws, we, counted);
      Duration overrun = Duration.ZERO;
      for (Outage o : counted) {
        if (o.start().isBefore(w.end()) && o.end().isAfter(w.end())) {
          Instant oe = min(o.end(), to);
          if (oe.isAfter(w.end())) {
            overrun = overrun.plus(Duration.between(max(w.end(), from), oe));
          }
        }
      }
      Reason r = reason(w);
      decisions.add(new MaintenanceDecision(w, r == Reason.ANNOUNCED_IN_TIME, r, inside, overrun,
          explain(w, r, inside, overrun)));
    }
    return new MonthlyUptimeReport(site, month, zone, from, to, target, down, excluded, incidents, decisions);
  }

  /**
   * One report per site for {@code month}, ordered by site. Sites present in either map are reported;
   * a site with no records has 100% uptime.
   */
  public List<MonthlyUptimeReport> reportAll(YearMonth month, Map<SiteId, ? extends Collection<Outage>> outages,
      Map<SiteId, ? extends Collection<MaintenanceWindow>> windows) {
    TreeMap<SiteId, Boolean> sites = new TreeMap<>();
    outages.keySet().forEach(s -> sites.put(s, true));
    windows.keySet().forEach(s -> sites.put(s, true));
    List<MonthlyUptimeReport> out = new ArrayList<>();
    for (SiteId s : sites.keySet()) {
      Collection<Outage> o = outages.get(s);
      Collection<MaintenanceWindow> w = windows.get(s);
      out.add(report(s, month, o == null ? List.of() : o, w == null ? List.of() : w));
    }
    return out;
  }

  /**
   * One report per site of {@code store} for {@code month}, ordered by site, with each site's
   * maintenance windows from {@code maintenance} (return an empty list for none).
   */
  public List<MonthlyUptimeReport> reportAll(YearMonth month, UptimeStore store,
      java.util.function.Function<SiteId, ? extends Collection<MaintenanceWindow>> maintenance) {
    Instant from = monthStart(month);
    Instant to = monthStart(month.plusMonths(1));
    List<MonthlyUptimeReport> out = new ArrayList<>();
    for (SiteId s : store.sites()) {
      out.add(report(s, month, store.outages(s, from, to), maintenance.apply(s)));
    }
    return out;
  }

  /** Why downtime inside {@code window} is or is not excluded under this calculator's notice period. */
  public Reason reason(MaintenanceWindow window) {
    if (window.emergency()) {
      return Reason.EMERGENCY;
    }
    return window.notice().compareTo(notice) >= 0 ? Reason.ANNOUNCED_IN_TIME : Reason.LATE_NOTICE;
  }

  private String explain(MaintenanceWindow w, Reason r, Duration inside, Duration overrun) {
    String base;
    switch (r) {
      case ANNOUNCED_IN_TIME:
        base = "announced " + human(w.notice()) + " ahead (notice period " + human(notice)
            + "): " + human(inside) + " of downtime inside the window excluded";
        break;
      case LATE_NOTICE:
        base = "announced only " + human(w.notice()) + " ahead, " + human(notice.minus(w.notice()))
            + " short of the notice period " + human(notice) + ": " + human(inside) + " of downtime counts";
        break;
      default:
        base = "emergency maintenance: " + human(inside) + " of downtime counts";
    }
    if (!overrun.isZero()) {
      base += "; overran its window by " + human(overrun) + ", which counts";
    }
    return base;
  }

  /** Sorted, with overlapping or touching records merged. */
  static List<Outage> merge(Collection<Outage> outages) {
    List<Outage> sorted = new ArrayList<>(outages);
    sorted.sort(null);
    List<Outage> merged = new ArrayList<>();
    Instant s = null;
    Instant e = null;
    for (Outage o : sorted) {
      if (s == null) {
        s = o.start();
        e = o.end();
      } else if (!o.start().isAfter(e)) {
        e = max(e, o.end());
      } else {
        merged.add(new Outage(s, e));
        s = o.start();
        e = o.end();
      }
    }
    if (s != null) {
      merged.add(new Outage(s, e));
    }
    return merged;
  }

  private List<Outage> significant(List<Outage> merged) {
    List<Outage> out = new ArrayList<>(merged.size());
    for (Outage o : merged) {
      if (o.duration().compareTo(minimumOutage) >= 0) {
        out.add(o);
      }
    }
    return out;
  }

  /** The length of [s, e) covered by the sorted, disjoint {@code intervals}. */
  private static Duration overlap(Instant s, Instant e, List<Outage> intervals) {
    Duration d = Duration.ZERO;
    for (Outage i : intervals) {
      if (!i.start().isBefore(e)) {
        break;
      }
      Instant a = max(s, i.start());
      Instant b = min(e, i.end());
      if (b.isAfter(a)) {
        d = d.plus(Duration.between(a, b));
      }
    }
    return d;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static String human(Duration d) {
    return dev.pledge.core.time.Durations.format(d);
  }

  /** Builds an {@link UptimeCalculator}; not thread-safe. */
  public static final class Builder {
    private Percentage target = UptimePolicy.DEFAULT_TARGET;
    private ZoneId zone = ZoneId.of("UTC");
    private Duration minimumOutage = Duration.ofMinutes(1);
    private Duration notice = Duration.ofHours(72);

    private Builder() {}

    /** The uptime target (default 99.9%). */
    public Builder target(Percentage target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** The zone whose calendar months are reported (default UTC). */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Merged outages shorter than this are ignored (default 1 minute; zero keeps all). */
    public Builder minimumOutage(Duration minimumOutage) {
      Objects.requireNonNull(minimumOutage, "minimumOutage");
      if (minimumOutage.isNegative()) {
        throw new IllegalArgumentException("minimumOutage must not be negative, got " + minimumOutage);
      }
      this.minimumOutage = minimumOutage;
      return this;
    }

    /** The notice maintenance needs for its downtime to be excluded (default 72 hours). */
    public Builder notice(Duration notice) {
      Objects.requireNonNull(notice, "notice");
      if (notice.isNegative()) {
        throw new IllegalArgumentException("notice must not be negative, got " + notice);
      }
      this.notice = notice;
      return this;
    }

    /** The calculator. */
    public UptimeCalculator build() {
      return new UptimeCalculator(this);
    }
  }
}
