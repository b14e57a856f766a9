package dev.pledge.spring.actuate;

import dev.pledge.sla.notify.AlertDelivery;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.SlackNotifier;
import dev.pledge.sla.notify.SmsNotifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Micrometer meters for alerts (P4): {@code pledge.alerts} (counter; tags {@code channel} = {@code
 * slack} or {@code sms}, {@code notifier} = the bean's name, {@code outcome} = {@code sent}, {@code
 * suppressed} (a repeat within the de-duplication window) or {@code failed} (every attempt failed, the
 * request was rejected, or the breaker was open)), counted from the delivery events ({@link
 * AlertDelivery}) of the application's {@link SlackNotifier}s, {@link SmsNotifier}s (such as {@code
 * pledge-sla-aws}'s SNS notifier) and {@link AlertRouter}s. A router's count covers every alert it
 * routes, through whichever notifier, including the notifiers it made from the {@code alerts} section;
 * an alert a router sends through a notifier that is itself a bean is counted under both names, so
 * sum over one of them. Counting starts when the meters are bound. Thread-safe; bind once per registry.
 */
public final class PledgeAlertMeters implements MeterBinder {
  private static final List<AlertDelivery.Outcome> OUTCOMES = List.of(AlertDelivery.Outcome.values());

  private final Map<String, SlackNotifier> slack;
  private final Map<String, SmsNotifier> sms;
  private final Map<String, AlertRouter> routers;

  /** Meters for the application's Slack notifiers, by bean name. */
  public PledgeAlertMeters(Map<String, SlackNotifier> slack) {
    this(slack, Map.of(), Map.of());
  }

  /** Meters for the application's Slack notifiers, SMS notifiers and alert routers, by bean name (any may be empty). */
  public PledgeAlertMeters(Map<String, SlackNotifier> slack, Map<String, SmsNotifier> sms,
      Map<String, AlertRouter> routers) {
    this.slack = Map.copyOf(slack);
    this.sms = Map.copyOf(sms);
    this.routers = Map.copyOf(routers);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    slack.forEach((name, n) -> {
      register(registry, "slack", name);
      n.onDelivery(e -> count(registry, name, e));
    });
    sms.forEach((name, n) -> {
      register(registry, "sms", name);
      n.onDelivery(e -> count(registry, name, e));
    });
    routers.forEach((name, r) -> {
      register(registry, "slack", name);
      register(registry, "sms", name);
      r.onDelivery(e -> count(registry, name, e));
    });
  }

  /** Every outcome of {@code channel} for {@code notifier}, at zero until counted. */
  private static void register(MeterRegistry registry, String channel, String notifier) {
    for (AlertDelivery.Outcome o : OUTCOMES) {
      counter(registry, channel, notifier, o);
    }
  }

  private static void count(MeterRegistry registry, String notifier, AlertDelivery e) {
    counter(registry, e.channel(), notifier, e.outcome()).increment();
  }

  private static Counter counter(MeterRegistry registry, String channel, String notifier, AlertDelivery.Outcome o) {
    return Counter.builder("pledge.alerts").tag("channel", channel).tag("notifier", notifier)
        .tag("outcome", o.name().toLowerCase(Locale.ROOT))
        .description("alerts Pledge sent, suppressed as repeats, or failed to deliver").register(registry);
  }
}
