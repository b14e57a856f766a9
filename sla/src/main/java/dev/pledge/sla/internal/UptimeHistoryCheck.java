package dev.pledge.sla.internal;

import dev.pledge.core.SiteId;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.sla.history.MaintenanceRecord;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimePolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges P2 and P3 from the SLA history the policy names ({@code slaHistory}).
 *
 * <p>P2: for every site (the organisation's sites and the sites probed), uptime over the period is
 * computed from the recorded probe results, with the monitor's own rules: a probe's site is down
 * from the first of {@code failuresBeforeDown} consecutive failures until the first of
 * {@code successesBeforeUp} consecutive successes; outages shorter than {@code minimumOutage} do not
 * count; downtime inside planned maintenance announced at least the {@code maintenance} section's notice
 * ahead (not an emergency, not cancelled) is excluded, as the monthly report excludes it. Time no probe result covers (a result covers twice its probe's interval at most) cannot be
 * shown up and counts against the site. Kept when every site reaches the {@code uptime} target.
 *
 * <p>P3: for every site and every calendar month (in the {@code uptime} zone) that ended in the
 * period, and the last month ended by its end, a monthly report was recorded as produced after the
 * month ended and by the period's end; where the month's probe results are recorded (covering at
 * least 99.9% of it), its downtime is recomputed from them by the same rules and must agree with
 * the report's within the monitor's resolution. A month whose probe results are not recorded in
 * full is said so in the evidence, its figure standing as reported.
 *
 * <p>Stateless and thread-safe.
 */
public final class UptimeHistoryCheck implements PromiseCheck {
  private static final int FIRST_VIOLATIONS = 5;

  @Override
  public String name() {
    return "sla.uptime-history";
  }

  @Override
  public List<Integer> promises() {
    return List.of(2, 3);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    Optional<String> missing = HistoryAccess.missing(ctx);
    if (missing.isPresent()) {
      String why = missing.get() + " to read probe results and monthly reports from";
      return List.of(Judgement.noEvidence(2, why), Judgement.noEvidence(3, why));
    }
    SlaHistory history = HistoryAccess.open(ctx).orElseThrow();
    UptimePolicy uptime = ctx.policy().section(UptimePolicy.class).orElse(UptimePolicy.defaults());
    TreeSet<SiteId> sites = new TreeSet<>();
    ctx.policy().section(OrganisationPolicy.class).ifPresent(o -> o.sites().forEach(s -> sites.add(s.id())));
    uptime.probes().forEach(p -> sites.add(p.site()));
    if (sites.isEmpty()) {
      String why = "the policy names no site (organisation.sites, uptime.probes)";
      return List.of(Judgement.noEvidence(2, why), Judgement.noEvidence(3, why));
    }
    return List.of(uptime(ctx, history, uptime, sites), monthly(ctx, history, uptime, sites));
  }

  /** P2 from the probe results. */
  private static Judgement uptime(CheckContext ctx, SlaHistory history, UptimePolicy policy, TreeSet<SiteId> sites) {
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    Map<String, ProbeSpec> specs = new LinkedHashMap<>();
    Duration lookback = Duration.ofMinutes(10);
    for (ProbeSpec p : policy.probes()) {
      specs.put(p.site().value() + " " + redacted(p.url()), p);
      Duration need = p.interval().multipliedBy(p.failuresBeforeDown() + p.successesBeforeUp() + 2L);
      lookback = need.compareTo(lookback) > 0 ? need : lookback;
    }
    // Results from a little before the period, so a period starting inside an outage starts down.
    Map<String, List<ProbeRecord>> byProbe = new TreeMap<>();
    int inPeriod = 0;
    for (ProbeRecord r : history.probes(from.minus(lookback), to)) {
      byProbe.computeIfAbsent(r.site().value() + " " + r.probe(), k -> new ArrayList<>()).add(r);
      if (!r.at().isBefore(from)) {
        inPeriod++;
      }
    }
    long length = Duration.between(from, to).toMillis();
    MaintenancePolicy maintenance = ctx.policy().section(MaintenancePolicy.class).orElse(MaintenancePolicy.defaults());
    List<MaintenanceRecord> windows = history.maintenance(from, to);
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", HistoryAccess.where(ctx)));
    ev.add(Evidence.of("probe results in the period", inPeriod));
    ev.add(Evidence.of("target", policy.target()));
    List<String> violations = new ArrayList<>();
    for (SiteId site : sites) {
      List<long[]> covered = new ArrayList<>();
      List<long[]> down = new ArrayList<>();
      int results = 0;
      for (Map.Entry<String, List<ProbeRecord>> e : byProbe.entrySet()) {
        if (!e.getKey().startsWith(site.value() + " ")) {
          continue;
        }
        ProbeSpec spec = specs.get(e.getKey());
        if (spec == null) {
          spec = ProbeSpec.of(site, URI.create("http://unnamed.invalid/"));
        }
        results += (int) e.getValue().stream().filter(r -> !r.at().isBefore(from)).count();
        walk(e.getValue(), spec, to, covered, down);
      }
      List<long[]> outages = new ArrayList<>();
      for (long[] o : merge(down)) {
        if (o[1] - o[0] >= policy.minimumOutage().toMillis()) {
          outages.add(o);
        }
      }
      List<long[]> seen = clip(merge(covered), from, to);
      // Announced maintenance is not downtime (P2, P39): only a planned window announced in time, not cancelled.
      List<long[]> excluded = new ArrayList<>();
      for (MaintenanceRecord w : windows) {
        if (w.site().equals(site) && excludes(w, maintenance)) {
          excluded.add(new long[] {w.window().start().toEpochMilli(), w.window().end().toEpochMilli()});
        }
      }
      List<long[]> downAll = clip(outages, from, to);
      List<long[]> downIn = subtract(downAll, merge(excluded));
      long excludedMs = total(downAll) - total(downIn);
      long seenMs = total(seen);
      long downMs = total(downIn);
      long unobserved = length - seenMs;
      // Down time is observed time; what nothing observed cannot be shown up either.
      long upMs = seenMs - downMs;
      BigDecimal percent = BigDecimal.valueOf(upMs).multiply(BigDecimal.valueOf(100))
          .divide(BigDecimal.valueOf(length), 3, RoundingMode.DOWN);
      boolean met = percent.compareTo(policy.target().value()) >= 0;
      ev.add(Evidence.of(site.value(), percent.toPlainString() + "% of " + HistoryAccess.human(Duration.ofMillis(length))
          + " from " + results + " probe results; down " + HistoryAccess.human(Duration.ofMillis(downMs))
          + ", not observed " + HistoryAccess.human(Duration.ofMillis(unobserved))
          + (excludedMs > 0 ? "; " + HistoryAccess.human(Duration.ofMillis(excludedMs))
              + " down in announced maintenance excluded" : "")));
      if (results == 0) {
        violations.add(site + ": no probe result recorded in the period, so nothing shows it was up");
      } else if (!met) {
        StringBuilder why = new StringBuilder(site + ": " + percent.toPlainString() + "% is below " + policy.target());
        if (!downIn.isEmpty()) {
          why.append("; down from ").append(Instant.ofEpochMilli(downIn.get(0)[0])).append(" for ")
              .append(HistoryAccess.human(Duration.ofMillis(downIn.get(0)[1] - downIn.get(0)[0])));
        }
        List<long[]> gaps = gaps(seen, from, to);
        if (!gaps.isEmpty()) {
          why.append("; no probe result from ").append(Instant.ofEpochMilli(gaps.get(0)[0])).append(" to ")
              .append(Instant.ofEpochMilli(gaps.get(0)[1]));
        }
        violations.add(why.toString());
      }
    }
    if (!violations.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", violations.subList(0, Math.min(FIRST_VIOLATIONS,
          violations.size())))));
      return Judgement.notKept(2, "uptime from the recorded probe results misses " + policy.target() + ": "
          + violations.get(0), ev);
    }
    return Judgement.kept(2, "every site's uptime, computed from the recorded probe results over the period, reaches "
        + policy.target(), ev);
  }

  /** A state change the monitor's rules find in the recorded results: {@code site} went {@code down} (or up) at {@code detected}. */
  record Transition(SiteId site, boolean down, Instant since, Instant detected) {}

  /** Adds the time {@code results} (one probe, oldest first) cover, and the time they show the site down. */
  static void walk(List<ProbeRecord> results, ProbeSpec spec, Instant to, List<long[]> covered, List<long[]> down) {
    walk(results, spec, to, covered, down, new ArrayList<>());
  }

  /** As {@link #walk(List, ProbeSpec, Instant, List, List)}, also adding each state change to {@code changes}. */
  static void walk(List<ProbeRecord> results, ProbeSpec spec, Instant to, List<long[]> covered, List<long[]> down,
      List<Transition> changes) {
    long reach = spec.interval().multipliedBy(2).toMillis();
    boolean isDown = false;
    int streak = 0;
    long streakStart = 0;
    long downSince = 0;
    for (int i = 0; i < results.size(); i++) {
      ProbeRecord r = results.get(i);
      long at = r.at().toEpochMilli();
      long next = i + 1 < results.size() ? results.get(i + 1).at().toEpochMilli() : to.toEpochMilli();
      covered.add(new long[] {at, Math.min(next, at + reach)});
      if (isDown != r.healthy()) {
        streak = 0; // agrees with the state
        continue;
      }
      if (streak == 0) {
        streakStart = at;
      }
      streak++;
      if (streak >= (isDown ? spec.successesBeforeUp() : spec.failuresBeforeDown())) {
        if (isDown) {
          down.add(new long[] {downSince, streakStart});
        } else {
          downSince = streakStart;
        }
        changes.add(new Transition(r.site(), !isDown, Instant.ofEpochMilli(streakStart), r.at()));
        isDown = !isDown;
        streak = 0;
      }
    }
    if (isDown) {
      down.add(new long[] {downSince, to.toEpochMilli()});
    }
  }

  /** How far before a period results are read, so that a period starting inside an outage starts down. */
  static Duration lookback(UptimePolicy policy) {
    Duration lookback = Duration.ofMinutes(10);
    for (ProbeSpec p : policy.probes()) {
      Duration need = p.interval().multipliedBy(p.failuresBeforeDown() + p.successesBeforeUp() + 2L);
      lookback = need.compareTo(lookback) > 0 ? need : lookback;
    }
    return lookback;
  }

  /**
   * Walks every probe's results in {@code results} (read from before {@code from}) with its spec from
   * {@code policy}, adding the time covered, the time down and the state changes.
   */
  static void walkAll(List<ProbeRecord> results, UptimePolicy policy, Instant to, List<long[]> covered,
      List<long[]> down, List<Transition> changes) {
    Map<String, ProbeSpec> specs = new LinkedHashMap<>();
    for (ProbeSpec p : policy.probes()) {
      specs.put(p.site().value() + " " + redacted(p.url()), p);
    }
    Map<String, List<ProbeRecord>> byProbe = new TreeMap<>();
    for (ProbeRecord r : results) {
      byProbe.computeIfAbsent(r.site().value() + " " + r.probe(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<ProbeRecord>> e : byProbe.entrySet()) {
      ProbeSpec spec = specs.get(e.getKey());
      if (spec == null) {
        spec = ProbeSpec.of(e.getValue().get(0).site(), URI.create("http://unnamed.invalid/"));
      }
      walk(e.getValue(), spec, to, covered, down, changes);
    }
  }

  /**
   * Whether downtime inside {@code w} is excluded from uptime: planned maintenance (not an update, not
   * an emergency), not cancelled before it started, announced at least the policy's notice ahead.
   */
  static boolean excludes(MaintenanceRecord w, MaintenancePolicy policy) {
    return w.kind() == MaintenanceRecord.Kind.MAINTENANCE && !w.window().emergency() && !w.cancelledBeforeStart()
        && w.window().notice().compareTo(policy.notice()) >= 0;
  }

  /** {@code in} (sorted, disjoint) without the time of {@code cut} (sorted, disjoint). */
  static List<long[]> subtract(List<long[]> in, List<long[]> cut) {
    List<long[]> out = new ArrayList<>();
    for (long[] s : in) {
      long a = s[0];
      for (long[] c : cut) {
        if (c[1] <= a || c[0] >= s[1]) {
          continue;
        }
        if (c[0] > a) {
          out.add(new long[] {a, c[0]});
        }
        a = Math.max(a, c[1]);
      }
      if (a < s[1]) {
        out.add(new long[] {a, s[1]});
      }
    }
    return out;
  }

  static List<long[]> merge(List<long[]> in) {
    List<long[]> sorted = new ArrayList<>(in);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] s : sorted) {
      if (s[1] <= s[0]) {
        continue;
      }
      if (!out.isEmpty() && s[0] <= out.get(out.size() - 1)[1]) {
        long[] last = out.get(out.size() - 1);
        last[1] = Math.max(last[1], s[1]);
      } else {
        out.add(new long[] {s[0], s[1]});
      }
    }
    return out;
  }

  static List<long[]> clip(List<long[]> in, Instant from, Instant to) {
    List<long[]> out = new ArrayList<>();
    for (long[] s : in) {
      long a = Math.max(s[0], from.toEpochMilli());
      long b = Math.min(s[1], to.toEpochMilli());
      if (b > a) {
        out.add(new long[] {a, b});
      }
    }
    return out;
  }

  private static List<long[]> gaps(List<long[]> seen, Instant from, Instant to) {
    List<long[]> out = new ArrayList<>();
    long at = from.toEpochMilli();
    for (long[] s : seen) {
      if (s[0] > at) {
        out.add(new long[] {at, s[0]});
      }
      at = Math.max(at, s[1]);
    }
    if (at < to.toEpochMilli()) {
      out.add(new long[] {at, to.toEpochMilli()});
    }
    return out;
  }

  static long total(List<long[]> in) {
    long t = 0;
    for (long[] s : in) {
      t += s[1] - s[0];
    }
    return t;
  }

  /** As the monitor records a probe's address: no user info, query or fragment. */
  private static String redacted(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** P3 from the monthly reports recorded. */
  private static Judgement monthly(CheckContext ctx, SlaHistory history, UptimePolicy policy, TreeSet<SiteId> sites) {
    ZoneId zone = policy.zoneId();
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    List<YearMonth> months = new ArrayList<>();
    YearMonth m = YearMonth.from(to.atZone(zone)).minusMonths(1); // the last month ended by the period's end
    months.add(m);
    for (YearMonth e = m.minusMonths(1); start(e.plusMonths(1), zone).isAfter(from); e = e.minusMonths(1)) {
      months.add(e);
    }
    List<MonthlyReportRecord> recorded = history.monthlyReports();
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", HistoryAccess.where(ctx)));
    ev.add(Evidence.of("months due", String.join(", ", months.stream().sorted().map(YearMonth::toString).toList())
        + " (calendar months in " + zone + ")"));
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    MaintenancePolicy maintenance = ctx.policy().section(MaintenancePolicy.class).orElse(MaintenancePolicy.defaults());
    int found = 0;
    int recomputed = 0;
    int unchecked = 0;
    for (YearMonth month : months.stream().sorted().toList()) {
      Instant end = start(month.plusMonths(1), zone);
      for (SiteId site : sites) {
        Optional<MonthlyReportRecord> r = recorded.stream()
            .filter(x -> x.site().equals(site) && x.month().equals(month) && !x.producedAt().isBefore(end)
                && !x.producedAt().isAfter(to))
            .reduce((a, b) -> b);
        if (r.isEmpty()) {
          boolean early = recorded.stream().anyMatch(x -> x.site().equals(site) && x.month().equals(month));
          missing.add(site + " " + month + (early ? ": recorded only before the month ended or after " + to
              : ": no monthly report recorded"));
        } else {
          found++;
          MonthlyReportRecord x = r.get();
          Figure f = figure(history, policy, maintenance, site, start(month, zone), end);
          long span = Duration.between(start(month, zone), end).toMillis();
          String again;
          if (f.results() == 0 || f.seenMs() < span * 999 / 1000) {
            again = "not recomputed: the probe results recorded cover " + (f.seenMs() * 100 / span) + "% of the month";
            unchecked++;
          } else {
            long downMinutes = f.downMs() / 60_000;
            // Within the monitor's resolution: a minute either way for each counted outage's edges.
            if (Math.abs(downMinutes - x.downMinutes()) > 2L + f.outages()) {
              wrong.add(site + " " + month + ": the report says " + x.downMinutes() + " min down, the recorded probe"
                  + " results show " + downMinutes + " min");
            }
            again = "recomputed from " + f.results() + " probe results: " + downMinutes + " min down";
            recomputed++;
          }
          ev.add(Evidence.of(site + " " + month, x.uptimePercent().toPlainString() + "% against " + x.target()
              + (x.met() ? ", met" : ", missed") + ", " + x.downMinutes() + " min down; produced " + x.producedAt()
              + "; " + again));
        }
      }
    }
    int due = months.size() * sites.size();
    ev.add(Evidence.of("monthly reports found", found + " of " + due));
    ev.add(Evidence.of("figures recomputed from the probe results", recomputed + " of " + found
        + (unchecked > 0 ? " (" + unchecked + " months' probe results are not recorded in full, so their figures stand as"
            + " reported)" : "")));
    if (!wrong.isEmpty()) {
      ev.add(Evidence.of("first figures that disagree", String.join("; ", wrong.subList(0, Math.min(FIRST_VIOLATIONS,
          wrong.size())))));
      return Judgement.notKept(3, "a monthly uptime report disagrees with the recorded probe results: " + wrong.get(0), ev);
    }
    if (!missing.isEmpty()) {
      ev.add(Evidence.of("first missing", String.join("; ", missing.subList(0, Math.min(FIRST_VIOLATIONS, missing.size())))));
      return Judgement.notKept(3, "a monthly uptime report is missing: " + missing.get(0), ev);
    }
    return Judgement.kept(3, "a monthly uptime report was produced for every site and every month due", ev);
  }

  /** One site's figures over {@code [a, b)} from the recorded probe results. */
  record Figure(int results, long seenMs, long downMs, int outages) {}

  /** The monitor's rules over {@code site}'s recorded results in {@code [a, b)}, announced maintenance excluded. */
  static Figure figure(SlaHistory history, UptimePolicy policy, MaintenancePolicy maintenance, SiteId site, Instant a,
      Instant b) {
    List<ProbeRecord> results = history.probes(a.minus(lookback(policy)), b).stream()
        .filter(r -> r.site().equals(site)).toList();
    List<long[]> covered = new ArrayList<>();
    List<long[]> down = new ArrayList<>();
    walkAll(results, policy, b, covered, down, new ArrayList<>());
    List<long[]> outages = new ArrayList<>();
    for (long[] o : merge(down)) {
      if (o[1] - o[0] >= policy.minimumOutage().toMillis()) {
        outages.add(o);
      }
    }
    List<long[]> excluded = new ArrayList<>();
    for (MaintenanceRecord w : history.maintenance(a, b)) {
      if (w.site().equals(site) && excludes(w, maintenance)) {
        excluded.add(new long[] {w.window().start().toEpochMilli(), w.window().end().toEpochMilli()});
      }
    }
    List<long[]> downIn = subtract(clip(outages, a, b), merge(excluded));
    int inside = (int) results.stream().filter(r -> !r.at().isBefore(a)).count();
    return new Figure(inside, total(clip(merge(covered), a, b)), total(downIn), downIn.size());
  }

  private static Instant start(YearMonth m, ZoneId zone) {
    return m.atDay(1).atStartOfDay(zone).toInstant();
  }
}
