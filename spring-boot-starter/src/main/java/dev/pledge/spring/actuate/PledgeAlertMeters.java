package dev.pledge.spring.actuate;

import dev.pledge.sla.notify.SlackNotifier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for alerts (P4): {@code pledge.alerts} (function counter; tags {@code channel} =
 * {@code slack}, {@code notifier} = the bean's name, {@code outcome} = {@code sent}, {@code suppressed}
 * (a repeat within the de-duplication window) or {@code failed} (every attempt failed, or the breaker was
 * open)), read from each {@link SlackNotifier}'s own counters, so nothing is counted twice. Thread-safe;
 * bind once per registry.
 */
public final class PledgeAlertMeters implements MeterBinder {
  private final Map<String, SlackNotifier> slack;

  /** Meters for the application's Slack notifiers, by bean name. */
  public PledgeAlertMeters(Map<String, SlackNotifier> slack) {
    this.slack = Map.copyOf(slack);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    slack.forEach((name, n) -> {
      counter(registry, name, n, "sent", SlackNotifier::sent);
      counter(registry, name, n, "suppressed", SlackNotifier::suppressed);
      counter(registry, name, n, "failed", SlackNotifier::failed);
    });
  }

  private static void counter(MeterRegistry registry, String name, SlackNotifier n, String outcome,
      ToDoubleFunction<SlackNotifier> f) {
    FunctionCounter.builder("pledge.alerts", n, f).tag("channel", "slack").tag("notifier", name)
        .tag("outcome", outcome).description("alerts Pledge sent, suppressed as repeats, or failed to deliver")
        .register(registry);
  }
}
