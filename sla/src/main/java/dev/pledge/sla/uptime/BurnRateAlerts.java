package dev.pledge.sla.uptime;

import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-window error-budget burn-rate alerts (P2, P4), after the SRE workbook: a rule fires when the
 * budget burns at least {@code factor} times the sustainable rate over both its long and its short
 * window — 14.4x over 1 hour and 5 minutes (CRITICAL), 6x over 6 hours and 30 minutes (HIGH), 1x
 * over 3 days and 6 hours (WARNING). The windows are given for a 30-day period and scaled to the
 * budget period in use (a 31-day month stretches each by 31/30), so each rule still means the same
 * share of the budget.
 *
 * <p>An alert is sent through the {@link Notifier} when a rule starts firing for a site, and an
 * {@code INFO} alert when it stops; evaluating again while it fires sends nothing. Thread-safe.
 */
public final class BurnRateAlerts {
  private static final Duration BASE_PERIOD = Duration.ofDays(30);

  /**
   * One rule.
   *
   * @param factor the burn rate that fires it (1 = the budget lasts exactly the period)
   * @param longWindow the long window, for a 30-day period
   * @param shortWindow the short window, for a 30-day period
   * @param severity the alert's severity
   */
  public record Rule(BigDecimal factor, Duration longWindow, Duration shortWindow, AlertSeverity severity) {
    /** Validates the rule. */
    public Rule {
      Objects.requireNonNull(factor, "factor");
      Objects.requireNonNull(severity, "severity");
      if (factor.signum() <= 0) {
        throw new IllegalArgumentException("factor must be positive, got " + factor);
      }
      if (shortWindow.compareTo(longWindow) >= 0 || shortWindow.isZero() || shortWindow.isNegative()) {
        throw new IllegalArgumentException("shortWindow must be positive and shorter than longWindow, got "
            + shortWindow + " and " + longWindow);
      }
    }
  }

  /** The SRE workbook's three rules. */
  public static final List<Rule> WORKBOOK_RULES = List.of(
      new Rule(new BigDecimal("14.4"), Duration.ofHours(1), Duration.ofMinutes(5), AlertSeverity.CRITICAL),
      new Rule(new BigDecimal("6"), Duration.ofHours(6), Duration.ofMinutes(30), AlertSeverity.HIGH),
      new Rule(BigDecimal.ONE, Duration.ofDays(3), Duration.ofHours(6), AlertSeverity.WARNING));

  /**
   * What one rule found for a site.
   *
   * @param site the site
   * @param rule the rule
   * @param longWindow the long window after scaling
   * @param shortWindow the short window after scaling
   * @param longBurn the burn rate over the long window
   * @param shortBurn the burn rate over the short window
   * @param firing whether both reach the factor
   */
  public record Evaluation(SiteId site, Rule rule, Duration longWindow, Duration shortWindow,
      BigDecimal longBurn, BigDecimal shortBurn, boolean firing) {}

  private final Percentage target;
  private final Duration period;
  private final List<Rule> rules;
  private final Notifier notifier;
  private final String destination;
  private final Map<String, Boolean> firing = new HashMap<>();

  private BurnRateAlerts(Percentage target, Duration period, List<Rule> rules, Notifier notifier, String destination) {
    this.target = Objects.requireNonNull(target, "target");
    this.period = Objects.requireNonNull(period, "period");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    this.rules = List.copyOf(rules);
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.destination = destination;
  }

  /**
   * Burn-rate alerts for {@code target} over a budget {@code period} (30 days for the workbook's
   * figures; the month's length for monthly reports), sent to {@code destination} through {@code notifier}.
   */
  public static BurnRateAlerts create(Percentage target, Duration period, Notifier notifier, String destination) {
    return new BurnRateAlerts(target, period, WORKBOOK_RULES, notifier, destination);
  }

  /**
   * The alerts the {@code uptime} policy section asks for, over a budget {@code period}: empty when
   * its {@code burnRateAlerts} is false.
   *
   * @deprecated for removal: use {@link #from(UptimePolicy, Notifier)}, or {@code
   *     builder(section).period(period).notifier(notifier).build()}, which always return the component:
   *     with {@code burnRateAlerts: false} it has no rules, so it never fires ({@link #enabled()} is false)
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static java.util.Optional<BurnRateAlerts> from(UptimePolicy policy, Duration period, Notifier notifier) {
    if (!policy.burnRateAlerts()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(builder(policy).period(period).notifier(notifier).build());
  }

  /**
   * The alerts the {@code uptime} section asks for, over a 30-day budget period, sent through
   * {@code notifier} to the section's {@code alertDestination}. When the section says
   * {@code burnRateAlerts: false}, none are configured: the component has no rules, {@link #evaluate}
   * returns an empty list and sends nothing, and {@link #enabled()} is false.
   */
  public static BurnRateAlerts from(UptimePolicy section, Notifier notifier) {
    return builder(section).notifier(notifier).build();
  }

  /**
   * A builder pre-filled from the {@code uptime} section (target, destination, and the workbook's
   * rules, or none when {@code burnRateAlerts} is false), to change one thing such as the period.
   * The notifier is required.
   */
  public static Builder builder(UptimePolicy section) {
    Objects.requireNonNull(section, "section");
    Builder b = new Builder(section.target()).destination(section.alertDestination());
    return b.rules(section.burnRateAlerts() ? WORKBOOK_RULES : List.of());
  }

  /** A builder holding every setting of these alerts (target, period, rules, notifier, destination). */
  public Builder toBuilder() {
    return new Builder(target).period(period).rules(rules).notifier(notifier).destination(destination);
  }

  /** Whether any rule is configured; false when the policy turned burn-rate alerts off. */
  public boolean enabled() {
    return !rules.isEmpty();
  }

  /** The rules evaluated, in order; empty when none are configured. */
  public List<Rule> rules() {
    return rules;
  }

  /** Builds {@link BurnRateAlerts}. Not thread-safe. */
  public static final class Builder {
    private final Percentage target;
    private Duration period = BASE_PERIOD;
    private List<Rule> rules = WORKBOOK_RULES;
    private Notifier notifier;
    private String destination;

    private Builder(Percentage target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /** The budget period the windows are scaled to (default 30 days, the workbook's). */
    public Builder period(Duration period) {
      Objects.requireNonNull(period, "period");
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("period must be positive, got " + period);
      }
      this.period = period;
      return this;
    }

    /** The rules (default the workbook's three); an empty list configures none. */
    public Builder rules(List<Rule> rules) {
      this.rules = List.copyOf(rules);
      return this;
    }

    /** Where alerts are sent; required. */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** The alerts' destination (default: none, the notifier's own). */
    public Builder destination(String destination) {
      this.destination = destination;
      return this;
    }

    /**
     * The alerts.
     *
     * @throws IllegalStateException when no notifier was set
     */
    public BurnRateAlerts build() {
      if (notifier == null) {
        throw new IllegalStateException("burn-rate alerts have no notifier: set notifier(...)");
      }
      return new BurnRateAlerts(target, period, rules, notifier, destination);
    }
  }

  /** The same with other rules. */
  public static BurnRateAlerts create(Percentage target, Duration period, List<Rule> rules, Notifier notifier,
      String destination) {
    return new BurnRateAlerts(target, period, rules, notifier, destination);
  }

  /** A window of the 30-day rule scaled to this period, to the millisecond. */
  public Duration scale(Duration window) {
    BigDecimal ms = BigDecimal.valueOf(window.toMillis()).multiply(BigDecimal.valueOf(period.toMillis()))
        .divide(BigDecimal.valueOf(BASE_PERIOD.toMillis()), 0, RoundingMode.HALF_UP);
    return Duration.ofMillis(ms.longValueExact());
  }

  /**
   * Evaluates every rule for {@code site} at {@code now} over {@code outages} (an ongoing outage
   * ends at {@code now}), sends alerts for rules that start or stop firing, and returns the evaluations.
   */
  public synchronized List<Evaluation> evaluate(SiteId site, Collection<Outage> outages, Instant now) {
    List<Outage> merged = UptimeCalculator.merge(outages);
    List<Evaluation> out = new ArrayList<>();
    BigDecimal budget = target.complementFraction();
    for (Rule r : rules) {
      Duration lw = scale(r.longWindow());
      Duration sw = scale(r.shortWindow());
      BigDecimal lb = burn(merged, now.minus(lw), now, budget);
      BigDecimal sb = burn(merged, now.minus(sw), now, budget);
      boolean fire = lb.compareTo(r.factor()) >= 0 && sb.compareTo(r.factor()) >= 0;
      Evaluation e = new Evaluation(site, r, lw, sw, lb, sb, fire);
      out.add(e);
      String key = site.value() + "/" + r.factor().toPlainString() + "x";
      boolean was = firing.getOrDefault(key, false);
      if (fire && !was) {
        notifier.send(new Alert(now, r.severity(), site + ": error budget burning at "
            + lb.setScale(1, RoundingMode.HALF_UP).toPlainString() + "x (rule " + r.factor().toPlainString() + "x)",
            "Burn rate " + lb.setScale(2, RoundingMode.HALF_UP).toPlainString() + "x over " + UptimeCalculator.human(lw)
                + " and " + sb.setScale(2, RoundingMode.HALF_UP).toPlainString() + "x over " + UptimeCalculator.human(sw)
                + " against a target of " + target + "; at this rate the budget lasts "
                + UptimeCalculator.human(lasts(lb)) + ".", destination, "burn-rate/" + key));
      } else if (!fire && was) {
        notifier.send(new Alert(now, AlertSeverity.INFO, site + ": error budget burn back below "
            + r.factor().toPlainString() + "x", "The burn rate over " + UptimeCalculator.human(lw) + " is now "
            + lb.setScale(2, RoundingMode.HALF_UP).toPlainString() + "x.", destination, "burn-rate/" + key));
      }
      firing.put(key, fire);
    }
    return out;
  }

  private Duration lasts(BigDecimal burn) {
    if (burn.signum() == 0) {
      return period;
    }
    return Duration.ofSeconds(BigDecimal.valueOf(period.getSeconds()).divide(burn, 0, RoundingMode.DOWN).longValue());
  }

  private static BigDecimal burn(List<Outage> merged, Instant from, Instant to, BigDecimal budget) {
    Duration down = Duration.ZERO;
    for (Outage o : merged) {
      Instant a = o.start().isAfter(from) ? o.start() : from;
      Instant b = o.end().isBefore(to) ? o.end() : to;
      if (b.isAfter(a)) {
        down = down.plus(Duration.between(a, b));
      }
    }
    BigDecimal ratio = MonthlyUptimeReport.seconds(down)
        .divide(MonthlyUptimeReport.seconds(Duration.between(from, to)), MathContext.DECIMAL64);
    return ratio.divide(budget, MathContext.DECIMAL64);
  }
}
