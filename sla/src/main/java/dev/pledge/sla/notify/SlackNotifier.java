package dev.pledge.sla.notify;

import dev.pledge.core.time.Sleeper;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.Secret;
import dev.pledge.core.internal.Json;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.NotificationException;
import dev.pledge.core.notify.Notifier;
import dev.pledge.sla.notify.internal.DeliveryFailure;
import dev.pledge.sla.notify.internal.ResilientDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Posts alerts to Slack through incoming webhooks (P4): one webhook per channel, chosen by the
 * alert's {@link Alert#destination() destination} ({@code default} when the alert names none). The
 * body is {@code {"text": "..."}} with the severity and title in bold and Slack's control characters
 * ({@code & < >}) escaped, sent as JSON over {@code java.net.http}.
 *
 * <p>Delivery follows a {@link DeliveryPolicy}: a timeout per attempt, retries with backoff on
 * timeouts, 429 and 5xx (never on other 4xx such as {@code invalid_token}), a circuit breaker, and
 * suppression of repeats within a window. When Slack rate-limits (HTTP 429) with a {@code Retry-After}
 * header, the next attempt waits at least that long, through the injected {@link Sleeper}; a pause
 * longer than the policy's {@link DeliveryPolicy#maxWait() maxWait} fails the alert at once. Webhook URLs are {@link Secret}s: they appear in no log
 * line, exception message or {@code toString()}. Thread-safe.
 *
 * <pre>{@code
 * Notifier slack = SlackNotifier.builder()
 *     .webhook("#ops", Secret.ofUtf8(System.getenv("PLEDGE_SLACK_OPS_WEBHOOK")))
 *     .build();
 * slack.send(Alert.of(now, AlertSeverity.CRITICAL, "shop is DOWN", "since 02:14").to("#ops"));
 * }</pre>
 */
public final class SlackNotifier implements Notifier {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlackNotifier.class);

  private final Map<String, Secret> webhooks;
  private final DeliveryPolicy policy;
  private final HttpClient http;
  private final ResilientDelivery delivery;
  private final java.util.concurrent.atomic.AtomicLong undeliverable = new java.util.concurrent.atomic.AtomicLong();
  private final Clock clock;

  private final Builder settings;

  private SlackNotifier(Builder b) {
    this.settings = new Builder(b);
    if (b.webhooks.isEmpty()) {
      throw new IllegalArgumentException("a Slack notifier needs at least one webhook");
    }
    this.webhooks = Map.copyOf(b.webhooks);
    this.policy = b.policy;
    this.http = HttpClient.newBuilder().connectTimeout(policy.timeout())
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    this.delivery = new ResilientDelivery("slack", policy, b.clock, b.sleeper, b.sharedDedup);
    this.clock = b.clock;
  }

  /** A builder with the default {@link DeliveryPolicy}, the system clock and a sleeping backoff. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Posts {@code alert} to the webhook of its destination, or does nothing when the same alert went
   * there within the de-duplication window.
   *
   * @throws NotificationException when no webhook serves the destination, Slack rejected the
   *     message, every attempt failed, or the breaker is open
   */
  @Override
  public void send(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    Secret url = webhooks.get(alert.destination());
    if (url == null) {
      undeliverable.incrementAndGet();
      String why = "slack: no webhook for destination '" + alert.destination() + "'; webhooks are configured for "
          + new TreeSet<>(webhooks.keySet());
      delivery.failedBeforeDelivery(alert, alert.destination(), why);
      throw new NotificationException(why);
    }
    byte[] body = body(alert);
    delivery.deliver(alert, alert.destination(), () -> post(url, body));
  }

  /** How many repeats were suppressed so far (on this node, including those another node delivered). */
  public long suppressed() {
    return delivery.suppressed();
  }

  /** How many alerts this notifier delivered to Slack so far. */
  public long sent() {
    return delivery.sent();
  }

  /**
   * How many alerts this notifier could not deliver so far (the caller was told by an exception),
   * including those for a destination without a webhook.
   */
  public long failed() {
    return delivery.failed() + undeliverable.get();
  }

  /**
   * Registers a listener told of every alert this notifier sent, suppressed as a repeat or failed to
   * deliver ({@link AlertDelivery}, channel {@code slack}), on the sending thread, after the counters
   * ({@link #sent()}, {@link #suppressed()}, {@link #failed()}) moved. A listener that throws is
   * logged and never breaks the send.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onDelivery(dev.pledge.core.event.EventListener<? super AlertDelivery> listener) {
    return delivery.onDelivery(listener);
  }

  /**
   * Registers a listener told once each time the shared de-duplication store stops answering and
   * repeats are de-duplicated on this node only.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onDedupFallback(dev.pledge.core.event.EventListener<? super AlertDedupStore.Fallback> listener) {
    return delivery.onSharedFallback(listener);
  }

  static byte[] body(Alert alert) {
    ObjectNode json = Json.mapper().createObjectNode();
    StringBuilder text = new StringBuilder()
        .append('*').append(alert.severity()).append(": ").append(escape(alert.title())).append('*');
    if (!alert.body().isEmpty()) {
      text.append('\n').append(escape(alert.body()));
    }
    json.put("text", text.toString());
    try {
      return Json.mapper().writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a Slack message", e);
    }
  }

  /** Slack reads {@code &}, {@code <} and {@code >} as control characters in message text. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private void post(Secret url, byte[] body) throws DeliveryFailure {
    String u = url.utf8();
    String[] secret = secretParts(u);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(u)).timeout(policy.timeout())
          .header("Content-Type", "application/json; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    } catch (IllegalArgumentException e) {
      throw new DeliveryFailure("the webhook URL is not a valid http(s) URL", false);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new DeliveryFailure("no answer within " + policy.timeout(), true);
    } catch (IOException e) {
      throw new DeliveryFailure(e.getClass().getSimpleName() + ": " + ResilientDelivery.scrub(e.getMessage(), secret), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailure("interrupted", false);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return;
    }
    String answer = ResilientDelivery.scrub(response.body(), secret).strip();
    if (answer.length() > 200) {
      answer = answer.substring(0, 200) + "...";
    }
    boolean retryable = status == 429 || status >= 500;
    LOG.debug("slack answered HTTP {}: {}", status, answer);
    java.time.Duration retryAfter = status == 429 || status == 503
        ? retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant()) : null;
    throw new DeliveryFailure("HTTP " + status + (answer.isEmpty() ? "" : " " + answer), retryable, retryAfter);
  }

  /**
   * The pause a {@code Retry-After} header asks for: delta-seconds (what Slack sends) or an HTTP date
   * (RFC 9110), read against {@code now}; {@code null} when absent or unreadable, which leaves the
   * policy's own backoff in charge. A date in the past means no pause.
   */
  static java.time.Duration retryAfter(String header, java.time.Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.strip();
    if (h.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return java.time.Duration.ofSeconds(Long.parseLong(h));
      } catch (NumberFormatException e) {
        return null; // more digits than a long: no sane pause, treat as unreadable
      }
    }
    try {
      java.time.Instant at = java.time.ZonedDateTime.parse(h, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant();
      return at.isAfter(now) ? java.time.Duration.between(now, at) : java.time.Duration.ZERO;
    } catch (java.time.format.DateTimeParseException e) {
      LOG.debug("slack sent an unreadable Retry-After '{}'; using the policy's backoff", h);
      return null;
    }
  }

  /**
   * The parts of a webhook URL that must not be echoed: the whole URL, its path and query, and every
   * path segment of 8 characters or more (Slack's token is the last one).
   */
  static String[] secretParts(String url) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    parts.add(url);
    URI uri = URI.create(url);
    if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
      parts.add(uri.getRawPath());
      for (String seg : uri.getRawPath().split("/")) {
        if (seg.length() >= 8) {
          parts.add(seg);
        }
      }
    }
    if (uri.getRawQuery() != null) {
      parts.add(uri.getRawQuery());
    }
    return parts.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return "SlackNotifier[channels=" + new TreeSet<>(webhooks.keySet()) + ", timeout=" + policy.timeout() + "]";
  }

  /**
   * A builder holding every setting of this notifier (webhooks, delivery policy, clock, sleeper,
   * shared de-duplication store), to change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link SlackNotifier}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Secret> webhooks = new LinkedHashMap<>();
    private DeliveryPolicy policy = DeliveryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private AlertDedupStore sharedDedup;

    private Builder() {}

    /**
     * De-duplicates across every node that uses {@code store} (one message for N nodes), falling back
     * to this node while it does not answer. Default: this node only.
     */
    public Builder sharedDedup(AlertDedupStore store) {
      this.sharedDedup = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The incoming webhook that posts to {@code destination} (a channel such as {@code #ops}, or
     * {@code default} for alerts that name no destination).
     */
    public Builder webhook(String destination, Secret url) {
      if (destination == null || destination.isBlank()) {
        throw new IllegalArgumentException("webhook destination must not be blank");
      }
      Objects.requireNonNull(url, "webhook url of " + destination);
      String scheme;
      try {
        scheme = URI.create(url.utf8()).getScheme();
      } catch (IllegalArgumentException e) {
        scheme = null; // the message would quote the URL
      }
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("the webhook of '" + destination + "' is not an http(s) URL");
      }
      webhooks.put(destination, url);
      return this;
    }

    /** How alerts are delivered. */
    public Builder policy(DeliveryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The clock de-duplication and the breaker read. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How backoffs wait. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The notifier. */
    public SlackNotifier build() {
      return new SlackNotifier(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.webhooks.putAll(other.webhooks);
      this.policy = other.policy;
      this.clock = other.clock;
      this.sleeper = other.sleeper;
      this.sharedDedup = other.sharedDedup;
    }
  }
}
