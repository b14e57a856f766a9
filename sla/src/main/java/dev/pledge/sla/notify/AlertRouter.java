package dev.pledge.sla.notify;

import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.EscalationPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Tier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns classified reports and SLA breaches into alerts (P4, P33, P38): a Gold report or any breach
 * pages the engineer on call at once, by SMS to their id (the SMS notifier's phone book maps it to a
 * number) and on the routing's page channel; other tiers follow the {@link AlertRouting}. When
 * nobody is on call the page channel says so, loudly. Each channel is tried even when another
 * failed; the returned {@link Dispatch} says what went where. Thread-safe when the notifiers are.
 *
 * <p>{@link #close()} closes only what the router created itself (the SNS client of a router built by
 * {@link AlertsPolicy#router}); notifiers handed to the {@link Builder} stay the caller's to close.
 *
 * <pre>{@code
 * AlertRouter router = AlertRouter.builder(schedule, routing).slack(slack).sms(sms).build();
 * Dispatch d = router.reported("R-17", classifier.classify(report), "Shop down for everyone");
 * d.paged();            // Optional[alice]
 * }</pre>
 */
public final class AlertRouter implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertRouter.class);

  private final OnCallSchedule schedule;
  private final AlertRouting routing;
  private final Notifier slack;
  private final Notifier sms;
  private final Clock clock;
  private final List<AutoCloseable> owned;
  private final dev.pledge.core.event.EventPublisher<AlertDelivery> deliveries = dev.pledge.core.event.EventPublisher.create();
  // what the notifier said of the alert being sent on this thread (suppressed or not), when it reports
  private final ThreadLocal<AlertDelivery> heard = new ThreadLocal<>();
  private final List<dev.pledge.core.event.Subscription> hearing = new ArrayList<>(); // guarded by itself

  private final Builder settings;

  private AlertRouter(Builder b) {
    this.settings = b.given;
    this.schedule = b.schedule;
    this.routing = b.routing;
    this.slack = Objects.requireNonNull(b.slack, "a router needs a Slack notifier");
    this.sms = Objects.requireNonNull(b.sms, "a router needs an SMS notifier");
    this.clock = b.clock;
    this.owned = List.copyOf(b.owned);
  }

  /** A builder over {@code schedule} and {@code routing}. */
  public static Builder builder(OnCallSchedule schedule, AlertRouting routing) {
    return new Builder(schedule, routing, null);
  }

  /**
   * The router the {@code alerts} section states (P4) over {@code schedule}: its routing, its Slack
   * webhooks and its SMS channel, their secrets read from the process environment, with the system
   * UTC clock. The router owns the SNS client it creates: close the router when done. The on-call
   * schedule is a section of its own ({@link OnCallSchedule#from}), so it is the one argument besides
   * the section.
   *
   * @param section the {@code alerts} section
   * @param schedule who is on call
   * @return the router
   * @throws IllegalStateException naming an unset environment variable, or the artifact to add for SMS
   */
  public static AlertRouter from(AlertsPolicy section, OnCallSchedule schedule) {
    return builder(section, schedule).build();
  }

  /**
   * A builder pre-filled from the {@code alerts} section over {@code schedule}, to change one thing
   * (a clock, a sleeper, where secrets are read, a notifier) before {@link Builder#build()}. The
   * section's notifiers are made by {@code build()}, and only those not set on the builder.
   *
   * @param section the {@code alerts} section
   * @param schedule who is on call
   * @return the builder
   */
  public static Builder builder(AlertsPolicy section, OnCallSchedule schedule) {
    return new Builder(schedule, section.toRouting(), section);
  }

  /**
   * Alerts about a newly classified (or reclassified) report. The de-duplication key names the
   * report and tier, so a reclassification alerts again while a repeat does not.
   *
   * @param reportId the report's id, such as {@code R-17}
   * @param classification its classification
   * @param summary one line for people; never a secret
   */
  public Dispatch reported(String reportId, Classification classification, String summary) {
    requireId(reportId);
    Objects.requireNonNull(classification, "classification");
    Tier tier = classification.tier();
    AlertRouting.Route route = routing.route(tier.rank());
    AlertSeverity severity = tier.rank() == 1 ? AlertSeverity.CRITICAL : tier.rank() == 2 ? AlertSeverity.HIGH
        : AlertSeverity.WARNING;
    String title = tier.displayName() + " report " + reportId + ": " + oneLine(summary);
    String body = "respond within " + tier.respondWithin() + (classification.matchedNames().isEmpty()
        ? "; no rule matched, default tier" : "; because: " + String.join(", ", classification.matchedNames()));
    return dispatch(route, severity, title, body, "report:" + reportId + ":tier:" + tier.rank());
  }

  /**
   * Pages about a breached response target, whatever the tier.
   *
   * @param reportId the report's id
   * @param tier the tier whose target was missed
   * @param deadline when the target ran out
   */
  public Dispatch breached(String reportId, Tier tier, Instant deadline) {
    requireId(reportId);
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(deadline, "deadline");
    AlertRouting.Route base = routing.route(tier.rank());
    AlertRouting.Route route = new AlertRouting.Route(true, base.slack());
    String title = "SLA BREACH: " + tier.displayName() + " report " + reportId + " not responded to";
    String body = "the " + tier.respondWithin() + " response target ran out at " + deadline;
    return dispatch(route, AlertSeverity.CRITICAL, title, body, "breach:" + reportId);
  }

  /**
   * Pages the latest escalation step of an unacknowledged page (P38): each call pages whoever the
   * {@link EscalationPolicy} says is due now, by SMS and on the page channel; repeats within the
   * notifiers' de-duplication window are suppressed, so calling this every minute is safe, and the
   * last person in the chain is paged again once the window has passed.
   *
   * @param reportId the report's id
   * @param raised when the first page went out
   * @param acknowledged when someone acknowledged it, or {@code null}
   * @param policy the escalation chain
   * @return the steps due so far (the escalation's events) and what was sent; nothing is sent once
   *     acknowledged
   */
  public Escalation escalate(String reportId, Instant raised, Instant acknowledged, EscalationPolicy policy) {
    requireId(reportId);
    Objects.requireNonNull(policy, "policy");
    Instant now = clock.instant();
    String first = schedule.onCall(raised).map(Engineer::id).orElse(null);
    if (first == null) {
      first = policy.then().isEmpty() ? null : policy.then().get(0);
    }
    if (first == null) {
      throw new IllegalStateException("nobody was on call at " + raised + " and the escalation names nobody");
    }
    List<EscalationPolicy.Step> steps = policy.steps(raised, acknowledged, now, first);
    List<Sent> sent = new ArrayList<>();
    if (acknowledged == null || acknowledged.isAfter(now)) {
      EscalationPolicy.Step last = steps.get(steps.size() - 1);
      if (last.level() > 0) {
        String title = "ESCALATED: report " + reportId + " unacknowledged since " + raised;
        String body = "level " + last.level() + ": paging " + last.to();
        String key = "escalation:" + reportId + ":" + last.level();
        sent.add(send("sms", sms, new Alert(now, AlertSeverity.CRITICAL, title, body, last.to(), key)));
        sent.add(send("slack", slack, new Alert(now, AlertSeverity.CRITICAL, title, body, routing.pageChannel(), key)));
      }
    }
    return new Escalation(steps, sent);
  }

  /**
   * What one escalation call found and did.
   *
   * @param steps the escalation events due so far, the first page included
   * @param sent the alerts handed to notifiers by this call
   */
  public record Escalation(List<EscalationPolicy.Step> steps, List<Sent> sent) {
    /** Copies the lists. */
    public Escalation {
      steps = List.copyOf(steps);
      sent = List.copyOf(sent);
    }
  }

  /**
   * Registers a listener told of every alert this router hands to a notifier, whatever the notifier
   * ({@link AlertDelivery}; channel {@code slack} or {@code sms}, destination the Slack channel or the
   * engineer's id): {@code SENT}, {@code SUPPRESSED} when the notifier reports that it suppressed the
   * alert as a repeat ({@link SlackNotifier}, {@link SmsNotifier#onDelivery}), {@code FAILED} when it
   * threw. A notifier that does not report suppression counts its repeats as sent. Listeners run on
   * the routing thread; a listener that throws is logged and never breaks the routing.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onDelivery(dev.pledge.core.event.EventListener<? super AlertDelivery> listener) {
    synchronized (hearing) {
      if (hearing.isEmpty()) {
        hear(slack);
        if (sms != slack) {
          hear(sms);
        }
      }
    }
    return deliveries.subscribe(listener);
  }

  private void hear(Notifier n) {
    if (n instanceof SlackNotifier s) {
      hearing.add(s.onDelivery(heard::set));
    } else if (n instanceof SmsNotifier s) {
      hearing.add(s.onDelivery(heard::set));
    } else {
      hearing.add(() -> { }); // nothing to hear; marks the notifiers as looked at
    }
  }

  /**
   * Closes the notifiers this router created (those given to {@link Builder#slack}/{@link Builder#sms}
   * by the caller are left open). Every one is closed even if another fails; the first failure is
   * rethrown with the others suppressed. Idempotent; later alerts through a closed notifier fail.
   */
  @Override
  public void close() {
    synchronized (hearing) {
      hearing.forEach(dev.pledge.core.event.Subscription::close);
    }
    RuntimeException first = null;
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        RuntimeException r = e instanceof RuntimeException re ? re
            : new IllegalStateException("closing " + c + " failed: " + e.getMessage(), e);
        if (first == null) {
          first = r;
        } else {
          first.addSuppressed(r);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private Dispatch dispatch(AlertRouting.Route route, AlertSeverity severity, String title, String body, String key) {
    Instant now = clock.instant();
    List<Sent> sent = new ArrayList<>();
    Optional<Engineer> onCall = Optional.empty();
    Set<String> channels = new LinkedHashSet<>();
    String pageBody = body;
    if (route.page()) {
      onCall = schedule.onCall(now);
      channels.add(routing.pageChannel());
      if (onCall.isPresent()) {
        pageBody = body + "; paging " + onCall.get().name();
        Alert page = new Alert(now, severity, title, body, onCall.get().id(), key);
        sent.add(send("sms", sms, page));
      } else {
        pageBody = body + "; NOBODY IS ON CALL: page by hand";
        LOG.error("nobody is on call at {} for '{}'", now, title);
      }
    }
    channels.addAll(route.slack());
    for (String channel : channels) {
      String text = channel.equals(routing.pageChannel()) ? pageBody : body;
      sent.add(send("slack", slack, new Alert(now, severity, title, text, channel, key)));
    }
    return new Dispatch(route.page(), onCall, sent);
  }

  private Sent send(String channel, Notifier n, Alert alert) {
    heard.remove();
    try {
      n.send(alert);
      AlertDelivery said = heard.get();
      delivered(channel, alert, said != null && said.outcome() == AlertDelivery.Outcome.SUPPRESSED
          ? AlertDelivery.Outcome.SUPPRESSED : AlertDelivery.Outcome.SENT, "");
      return new Sent(channel, alert.destination(), true, "");
    } catch (RuntimeException e) {
      LOG.warn("{} alert '{}' to {} failed: {}", channel, alert.title(), alert.destination(), e.getMessage());
      delivered(channel, alert, AlertDelivery.Outcome.FAILED, String.valueOf(e.getMessage()));
      return new Sent(channel, alert.destination(), false, String.valueOf(e.getMessage()));
    } finally {
      heard.remove();
    }
  }

  private void delivered(String channel, Alert alert, AlertDelivery.Outcome outcome, String detail) {
    if (deliveries.hasListeners()) {
      deliveries.publish(new AlertDelivery(clock.instant(), channel, alert.destination(), alert.dedupKey(), outcome,
          detail));
    }
  }

  private static void requireId(String reportId) {
    if (reportId == null || reportId.isBlank()) {
      throw new IllegalArgumentException("reportId must not be blank");
    }
  }

  private static String oneLine(String s) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return t.length() <= 120 ? t : t.substring(0, 117) + "...";
  }

  /**
   * What one routing did.
   *
   * @param paged whether the route paged
   * @param engineer who was paged; empty when nobody was on call or the route did not page
   * @param sent every attempt, in order
   */
  public record Dispatch(boolean paged, Optional<Engineer> engineer, List<Sent> sent) {
    /** Copies the list. */
    public Dispatch {
      sent = List.copyOf(sent);
    }

    /** Whether every attempt failed (nobody has been told). */
    public boolean allFailed() {
      return sent.stream().noneMatch(Sent::delivered);
    }
  }

  /**
   * One alert handed to a notifier.
   *
   * @param channel {@code sms} or {@code slack}
   * @param destination the engineer's id or the Slack channel
   * @param delivered whether the notifier accepted it (or suppressed it as a repeat)
   * @param error the failure, empty when delivered
   */
  public record Sent(String channel, String destination, boolean delivered, String error) {}

  /**
   * A builder holding every setting of this router (schedule, routing, notifiers, clock, environment,
   * sleeper), to change one. Notifiers the router made from the {@code alerts} section are not shared:
   * the copy's {@code build()} makes its own, which it owns; notifiers given to the builder are
   * shared.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds an {@link AlertRouter}. Not thread-safe. */
  public static final class Builder {
    private final OnCallSchedule schedule;
    private final AlertRouting routing;
    private Notifier slack;
    private Notifier sms;
    private Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final AlertsPolicy section; // null: notifiers are given
    private Builder given; // the settings as given, before build() made notifiers from the section
    private java.util.function.Function<String, String> environment = System::getenv;
    private dev.pledge.core.time.Sleeper sleeper = dev.pledge.core.time.Sleeper.system();

    private Builder(OnCallSchedule schedule, AlertRouting routing, AlertsPolicy section) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      this.routing = Objects.requireNonNull(routing, "routing");
      this.section = section;
    }

    /**
     * Where the section's secrets (webhooks, SNS credentials, phone numbers) are read (default the
     * process environment, {@code System::getenv}).
     */
    public Builder environment(java.util.function.Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** How the section's notifiers wait between delivery attempts (default {@link dev.pledge.core.time.Sleeper#system()}). */
    public Builder sleeper(dev.pledge.core.time.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The notifier for Slack channels. */
    public Builder slack(Notifier slack) {
      this.slack = Objects.requireNonNull(slack, "slack");
      return this;
    }

    /** The notifier for SMS to engineers, addressed by engineer id. */
    public Builder sms(Notifier sms) {
      this.sms = Objects.requireNonNull(sms, "sms");
      return this;
    }

    /** Hands {@code resource}, created on the caller's behalf, to the router to close. */
    Builder owning(AutoCloseable resource) {
      owned.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /** The clock that says who is on call now. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The router; from a section, with the section's notifiers for those not set.
     *
     * @throws IllegalStateException naming an unset environment variable, or the artifact to add for SMS
     */
    public AlertRouter build() {
      given = new Builder(this);
      if (section != null && slack == null) {
        slack = section.slackNotifier(environment, clock, sleeper);
      }
      if (section != null && sms == null) {
        SmsNotifier made = section.smsNotifier(environment, clock, sleeper);
        sms = made;
        owned.add(made);
      }
      return new AlertRouter(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.schedule = other.schedule;
      this.routing = other.routing;
      this.slack = other.slack;
      this.sms = other.sms;
      this.clock = other.clock;
      this.section = other.section;
      this.environment = other.environment;
      this.sleeper = other.sleeper;
    }
  }
}
