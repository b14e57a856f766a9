package dev.pledge.sla.internal;

import dev.pledge.core.SiteId;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.SlaHistory;
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
 * count. Time no probe result covers (a result covers twice its probe's interval at most) cannot be
 * shown up and counts against the site. Kept when every site reaches the {@code uptime} target.
 *
 * <p>P3: for every site and every calendar month (in the {@code uptime} zone) that ended in the
 * period, and the last month ended by its end, a monthly report was recorded as produced after the
 * month ended and by the period's end.
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
    Optional<SlaHistory> opened = HistoryAccess.open(ctx);
    if (opened.isEmpty()) {
      String why = "the policy names no SLA history (slaHistory section) to read probe results and monthly reports from";
      return List.of(Judgement.noEvidence(2, why), Judgement.noEvidence(3, why));
    }
    SlaHistory history = opened.get();
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
      List<long[]> downIn = clip(outages, from, to);
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
          + ", not observed " + HistoryAccess.human(Duration.ofMillis(unobserved))));
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

  /** Adds the time {@code results} (one probe, oldest first) cover, and the time they show the site down. */
  private static void walk(List<ProbeRecord> results, ProbeSpec spec, Instant to, List<long[]> covered, List<long[]> down) {
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
        isDown = !isDown;
        streak = 0;
      }
    }
    if (isDown) {
      down.add(new long[] {downSince, to.toEpochMilli()});
    }
  }

  private static List<long[]> merge(List<long[]> in) {
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

  private static List<long[]> clip(List<long[]> in, Instant from, Instant to) {
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

  private static long total(List<long[]> in) {
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
    int found = 0;
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
          ev.add(Evidence.of(site + " " + month, x.uptimePercent().toPlainString() + "% against " + x.target()
              + (x.met() ? ", met" : ", missed") + "; produced " + x.producedAt()));
        }
      }
    }
    int due = months.size() * sites.size();
    ev.add(Evidence.of("monthly reports found", found + " of " + due));
    if (!missing.isEmpty()) {
      ev.add(Evidence.of("first missing", String.join("; ", missing.subList(0, Math.min(FIRST_VIOLATIONS, missing.size())))));
      return Judgement.notKept(3, "a monthly uptime report is missing: " + missing.get(0), ev);
    }
    return Judgement.kept(3, "a monthly uptime report was produced for every site and every month due", ev);
  }

  private static Instant start(YearMonth m, ZoneId zone) {
    return m.atDay(1).atStartOfDay(zone).toInstant();
  }
}
