package dev.pledge.sla.notify.internal;

import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.NotificationException;
import dev.pledge.sla.notify.AlertDelivery;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery discipline shared by Pledge's notifiers (P4): de-duplication of repeats within a
 * window, a resilience4j circuit breaker around every attempt, and resilience4j retry with
 * exponential backoff around the attempts. Waits go through a {@link Sleeper} and time comes from a
 * {@link Clock}, so tests drive both. Thread-safe.
 *
 * <p>The retry is used through its {@code asyncContext}, which computes each wait without sleeping,
 * because resilience4j's synchronous retry sleeps through a process-wide function that cannot be
 * injected per notifier.
 *
 * <p>Only failures that may pass (timeouts, 429, 5xx) count against the breaker: a rejected request
 * shows a wrong configuration, not an unavailable service.
 */
public final class ResilientDelivery {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResilientDelivery.class);

  /** One attempt at delivery. */
  @FunctionalInterface
  public interface Attempt {
    /** Tries once; throws {@link DeliveryFailure} when the attempt failed. */
    void run() throws DeliveryFailure;
  }

  private final String channel;
  private final DeliveryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final CircuitBreaker breaker;
  private final Retry retry;
  /** Per destination and key: the {@link Instant} of the last delivery, or the {@link InFlight} send. */
  private final Map<String, Object> lastDelivered = new ConcurrentHashMap<>();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final dev.pledge.sla.notify.AlertDedupStore shared;
  private final dev.pledge.core.event.EventPublisher<dev.pledge.sla.notify.AlertDedupStore.Fallback> fallbacks =
      dev.pledge.core.event.EventPublisher.create();
  private final java.util.concurrent.atomic.AtomicBoolean sharedDown = new java.util.concurrent.atomic.AtomicBoolean();
  private final dev.pledge.core.event.EventPublisher<AlertDelivery> deliveries = dev.pledge.core.event.EventPublisher.create();

  /** Delivery for {@code channel} (a name for messages, such as {@code slack}), de-duplicated on this node. */
  public ResilientDelivery(String channel, DeliveryPolicy policy, Clock clock, Sleeper sleeper) {
    this(channel, policy, clock, sleeper, null);
  }

  /**
   * Delivery for {@code channel}, de-duplicated across nodes through {@code shared} when it is not
   * null (and on this node while it does not answer).
   */
  public ResilientDelivery(String channel, DeliveryPolicy policy, Clock clock, Sleeper sleeper,
      dev.pledge.sla.notify.AlertDedupStore shared) {
    this.shared = shared;
    this.channel = Objects.requireNonNull(channel, "channel");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.breaker = CircuitBreaker.of(channel, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(policy.breakerFailures())
        .minimumNumberOfCalls(policy.breakerFailures())
        .failureRateThreshold(100f)
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitDurationInOpenState(policy.breakerOpenFor())
        .clock(clock)
        .writableStackTraceEnabled(false)
        .build());
    this.retry = Retry.of(channel, RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .intervalFunction(IntervalFunction.ofExponentialBackoff(policy.initialBackoff(), policy.backoffMultiplier(),
            policy.maxWait()))
        .retryOnException(t -> t instanceof DeliveryFailure f && f.retryable())
        .failAfterMaxAttempts(false)
        .build());
  }

  /**
   * Delivers {@code alert} to {@code destination} through {@code attempt}, unless the same alert was
   * delivered there within the window.
   *
   * <p>Only a successful delivery suppresses repeats. A repeat that arrives while the same alert is
   * still being sent waits for that send: when it succeeds the repeat is suppressed, when it fails
   * the repeat is sent in its own right, so two identical alerts at once never both go out and never
   * both get lost.
   *
   * @return true when delivered, false when suppressed as a repeat
   * @throws NotificationException when every attempt failed, a rejection ended them, or the breaker
   *     is open
   */
  public boolean deliver(Alert alert, String destination, Attempt attempt) {
    boolean delivered;
    try {
      delivered = deliverOrSuppress(alert, destination, attempt);
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      published(alert, destination, AlertDelivery.Outcome.FAILED, String.valueOf(e.getMessage()));
      throw e;
    }
    if (delivered) {
      sent.incrementAndGet();
    }
    published(alert, destination, delivered ? AlertDelivery.Outcome.SENT : AlertDelivery.Outcome.SUPPRESSED, "");
    return delivered;
  }

  /**
   * Tells the delivery listeners that {@code alert} failed before any attempt ({@code why}: no
   * destination configured, say); counted by the caller.
   */
  public void failedBeforeDelivery(Alert alert, String destination, String why) {
    published(alert, destination, AlertDelivery.Outcome.FAILED, why);
  }

  private void published(Alert alert, String destination, AlertDelivery.Outcome outcome, String detail) {
    if (deliveries.hasListeners()) {
      deliveries.publish(new AlertDelivery(clock.instant(), channel, destination, alert.dedupKey(), outcome, detail));
    }
  }

  /**
   * Registers a listener told of every alert delivered, suppressed or failed, on the sending thread.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onDelivery(dev.pledge.core.event.EventListener<? super AlertDelivery> listener) {
    return deliveries.subscribe(listener);
  }

  private boolean deliverOrSuppress(Alert alert, String destination, Attempt attempt) {
    Objects.requireNonNull(alert, "alert");
    if (policy.dedupWindow().isZero()) {
      attempts(alert, destination, attempt);
      return true;
    }
    String key = destination + '\n' + alert.dedupKey();
    while (true) {
      Instant now = clock.instant();
      InFlight mine = new InFlight(now);
      Object held = reserve(key, mine);
      if (held == mine) {
        boolean delivered = false;
        String token = shared == null ? null : java.util.UUID.randomUUID().toString();
        try {
          if (token != null && !claimShared(key, token)) {
            // another node delivered it within the window: suppressed here as well
            delivered = true;
            suppressed.incrementAndGet();
            return false;
          }
          attempts(alert, destination, attempt);
          delivered = true;
          if (token != null) {
            sharedCall(() -> shared.delivered(key, token, policy.dedupWindow()));
          }
        } finally {
          if (delivered) {
            lastDelivered.replace(key, mine, now);
          } else {
            lastDelivered.remove(key, mine); // a failed alert must be sent again when repeated
            if (token != null) {
              sharedCall(() -> shared.release(key, token));
            }
          }
          mine.done.complete(delivered); // whatever happened, nobody waits for ever
        }
        return true;
      }
      if (held instanceof InFlight other && !awaitDelivered(other)) {
        continue; // the send this repeat waited for failed: try it ourselves
      }
      suppressed.incrementAndGet();
      LOG.debug("{}: repeat of '{}' to {} within {} suppressed", channel, alert.dedupKey(), destination,
          policy.dedupWindow());
      return false;
    }
  }

  /**
   * Claims the alert in the shared store: true to send it, false when another node delivered it.
   * While another node is sending, waits (through the sleeper) for its outcome, at most the lease; a
   * store that does not answer leaves the decision to this node.
   */
  private boolean claimShared(String key, String token) {
    Duration lease = lease();
    Duration poll = Duration.ofMillis(200);
    long waits = Math.max(1, lease.toMillis() / poll.toMillis());
    for (long i = 0; ; i++) {
      dev.pledge.sla.notify.AlertDedupStore.Claim c;
      try {
        c = shared.claim(key, token, lease);
        sharedDown.set(false);
      } catch (RuntimeException e) {
        sharedUnavailable(e);
        return true;
      }
      if (c != dev.pledge.sla.notify.AlertDedupStore.Claim.IN_FLIGHT) {
        return c == dev.pledge.sla.notify.AlertDedupStore.Claim.SEND;
      }
      if (i >= waits) {
        return true; // the other sender outlived its lease: send rather than lose the alert
      }
      try {
        sleeper.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException(channel + ": interrupted while another node sent an identical alert");
      }
    }
  }

  /** The longest one send may hold its claim: every attempt at its timeout with the longest waits between. */
  private Duration lease() {
    return policy.timeout().plus(policy.maxWait()).multipliedBy(policy.maxAttempts()).plusSeconds(5);
  }

  private void sharedCall(Runnable call) {
    try {
      call.run();
      sharedDown.set(false);
    } catch (RuntimeException e) {
      sharedUnavailable(e);
    }
  }

  private void sharedUnavailable(RuntimeException e) {
    if (sharedDown.compareAndSet(false, true)) {
      String cause = scrub(String.valueOf(e.getMessage()));
      LOG.warn("{}: the shared de-duplication store did not answer ({}); repeats are de-duplicated on this node only",
          channel, cause);
      if (fallbacks.hasListeners()) {
        fallbacks.publish(new dev.pledge.sla.notify.AlertDedupStore.Fallback(channel, cause, clock.instant()));
      }
    }
  }

  /**
   * Registers a listener told once each time the shared store stops answering.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onSharedFallback(dev.pledge.core.event.EventListener<? super dev.pledge.sla.notify.AlertDedupStore.Fallback> listener) {
    return fallbacks.subscribe(listener);
  }

  /** A send under way; {@code done} completes with whether it was delivered. */
  private static final class InFlight {
    final Instant started;
    final java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();

    InFlight(Instant started) {
      this.started = started;
    }
  }

  /** {@code mine} when this caller may send; otherwise what holds the key (an Instant or an InFlight). */
  private Object reserve(String key, InFlight mine) {
    Instant now = mine.started;
    if (lastDelivered.size() > 1024) {
      purge(now);
    }
    return lastDelivered.compute(key, (k, held) -> {
      if (held instanceof InFlight) {
        return held;
      }
      if (held instanceof Instant last && now.isBefore(last.plus(policy.dedupWindow())) && !now.isBefore(last)) {
        return last;
      }
      return mine;
    });
  }

  private boolean awaitDelivered(InFlight other) {
    try {
      // bounded: the other send gives up after the policy's attempts, timeouts and waits
      return other.done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationException(channel + ": interrupted while waiting for an identical alert being sent");
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }

  private void purge(Instant now) {
    for (Iterator<Object> it = lastDelivered.values().iterator(); it.hasNext(); ) {
      if (it.next() instanceof Instant last && !now.isBefore(last.plus(policy.dedupWindow()))) {
        it.remove();
      }
    }
  }

  private void attempts(Alert alert, String destination, Attempt attempt) {
    Retry.AsyncContext<Object> ctx = retry.asyncContext();
    int n = 0;
    while (true) {
      n++;
      if (!breaker.tryAcquirePermission()) {
        throw new NotificationException(channel + ": circuit breaker is open after repeated failures; '"
            + alert.title() + "' to " + destination + " was not sent (attempt " + n + ")");
      }
      long start = System.nanoTime();
      DeliveryFailure failure;
      try {
        attempt.run();
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        ctx.onComplete();
        LOG.debug("{}: '{}' delivered to {} (attempt {})", channel, alert.title(), destination, n);
        return;
      } catch (DeliveryFailure f) {
        failure = f;
      } catch (RuntimeException e) {
        breaker.releasePermission();
        throw e;
      }
      if (failure.retryable()) {
        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
      } else {
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
      long waitMillis = ctx.onError(failure);
      if (waitMillis >= 0 && failure.retryAfter().isPresent()) {
        // The server's word beats our backoff, but never beyond the policy's longest wait: a pause we
        // will not take ends the attempts now instead of retrying early into another refusal.
        Duration asked = failure.retryAfter().get();
        if (asked.compareTo(policy.maxWait()) > 0) {
          String why = "the server asked to wait " + asked.toSeconds() + " s before retrying, longer than maxWait "
              + policy.maxWait().toSeconds() + " s";
          LOG.warn("{}: '{}' to {} failed after {} attempt{} ({}): {}", channel, alert.title(), destination, n,
              n == 1 ? "" : "s", why, failure.getMessage());
          throw new NotificationException(channel + ": '" + alert.title() + "' to " + destination + " failed ("
              + why + "): " + failure.getMessage());
        }
        waitMillis = Math.max(waitMillis, asked.toMillis());
      }
      if (waitMillis < 0) {
        String why = failure.retryable() ? "gave up after " + n + " attempt" + (n == 1 ? "" : "s") : "rejected, not retried";
        LOG.warn("{}: '{}' to {} failed ({}): {}", channel, alert.title(), destination, why, failure.getMessage());
        throw new NotificationException(channel + ": '" + alert.title() + "' to " + destination + " failed ("
            + why + "): " + failure.getMessage());
      }
      LOG.info("{}: attempt {} of '{}' to {} failed ({}); retrying in {} ms", channel, n, alert.title(),
          destination, failure.getMessage(), waitMillis);
      try {
        sleeper.sleep(Duration.ofMillis(waitMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException(channel + ": interrupted while waiting to retry '" + alert.title() + "'");
      }
    }
  }

  /** How many repeats were suppressed so far. */
  public long suppressed() {
    return suppressed.get();
  }

  /** How many alerts were delivered so far. */
  public long sent() {
    return sent.get();
  }

  /** How many alerts could not be delivered so far (every attempt failed, rejected, or the breaker open). */
  public long failed() {
    return failed.get();
  }

  /** Whether the breaker is open (or half open, letting a trial through). */
  public String breakerState() {
    return breaker.getState().name();
  }

  /**
   * {@code text} with every occurrence of each of {@code secrets} replaced, for messages built from a
   * server's or library's words that might echo a secret back. Longer secrets are replaced first.
   */
  public static String scrub(String text, String... secrets) {
    if (text == null) {
      return "";
    }
    String[] sorted = secrets.clone();
    java.util.Arrays.sort(sorted, java.util.Comparator.nullsLast(
        java.util.Comparator.comparingInt(String::length).reversed()));
    String out = text;
    for (String s : sorted) {
      if (s != null && !s.isEmpty()) {
        out = out.replace(s, "[redacted]");
      }
    }
    return out;
  }
}
