package dev.pledge.sla.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pledge.core.Secret;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.NotificationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {
  private static final String TOKEN = "XyZzY0s3cr3tT0k3n";
  private static final String PATH = "/services/T0001/B0001/" + TOKEN;
  private static final Instant AT = Instant.parse("2026-11-02T02:14:00Z");

  private final StandInServer slack = new StandInServer(200, "text/plain", "ok");
  private final FakeTime time = new FakeTime();

  @AfterEach
  void stop() {
    slack.close();
  }

  private SlackNotifier notifier(DeliveryPolicy policy) {
    return SlackNotifier.builder()
        .webhook("#ops", Secret.ofUtf8(slack.url() + PATH))
        .webhook("#support", Secret.ofUtf8(slack.url() + "/services/T0001/B0002/other"))
        .policy(policy).clock(time.clock).sleeper(time).build();
  }

  private static DeliveryPolicy policy() {
    return DeliveryPolicy.builder().timeout(Duration.ofSeconds(5)).maxAttempts(3)
        .backoff(Duration.ofSeconds(1), 2.0).breaker(5, Duration.ofMinutes(1)).dedupWindow(Duration.ofMinutes(10)).build();
  }

  private static Alert down(String destination) {
    return Alert.of(AT, AlertSeverity.CRITICAL, "shop is DOWN", "since 02:14 <prod> & staging").to(destination);
  }

  @Test
  void postsTheExactJsonToTheWebhookOfTheAlertsDestination() {
    notifier(policy()).send(down("#ops"));
    assertThat(slack.received()).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo(PATH);
      assertThat(r.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
      assertThat(r.body()).isEqualTo("{\"text\":\"*CRITICAL: shop is DOWN*\\nsince 02:14 &lt;prod&gt; &amp; staging\"}");
    });
    notifier(policy()).send(down("#support"));
    assertThat(slack.received().get(1).path()).isEqualTo("/services/T0001/B0002/other");
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoffUntilSlackAccepts() {
    slack.then(500, "internal_error").then(503, "service_unavailable").then(200, "ok");
    notifier(policy()).send(down("#ops"));
    assertThat(slack.received()).hasSize(3).allSatisfy(r -> assertThat(r.path()).isEqualTo(PATH));
    assertThat(slack.received()).extracting(StandInServer.Received::body).containsOnly(slack.received().get(0).body());
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void afterTheLastAttemptTheFailureNamesTheLastAnswer() {
    slack.then(500, "a").then(500, "b").then(502, "bad_gateway");
    assertThatThrownBy(() -> notifier(policy()).send(down("#ops")))
        .isInstanceOf(NotificationException.class)
        .hasMessage("slack: 'shop is DOWN' to #ops failed (gave up after 3 attempts): HTTP 502 bad_gateway");
    assertThat(slack.received()).hasSize(3);
  }

  @Test
  void aRejectionIsNotRetried() {
    slack.then(403, "invalid_token");
    assertThatThrownBy(() -> notifier(policy()).send(down("#ops")))
        .isInstanceOf(NotificationException.class)
        .hasMessage("slack: 'shop is DOWN' to #ops failed (rejected, not retried): HTTP 403 invalid_token");
    assertThat(slack.received()).hasSize(1);
    assertThat(time.waits()).isEmpty();
  }

  @Test
  void rateLimitingIsRetried() {
    slack.then(429, "rate_limited");
    notifier(policy()).send(down("#ops"));
    assertThat(slack.received()).hasSize(2);
  }

  @Test
  void aRetryAfterInSecondsIsWaitedThroughTheSleeperBeforeTheNextAttempt() {
    slack.then(429, "rate_limited", java.util.Map.of("Retry-After", "7")).then(200, "ok");
    notifier(policy()).send(down("#ops"));
    assertThat(slack.received()).hasSize(2);
    assertThat(slack.received().get(1).body()).isEqualTo(slack.received().get(0).body());
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(7)); // not the 1 s backoff
  }

  @Test
  void aRetryAfterShorterThanTheBackoffLeavesTheBackoffInCharge() {
    slack.then(429, "rate_limited", java.util.Map.of("Retry-After", "0"))
        .then(429, "rate_limited", java.util.Map.of("Retry-After", "1")).then(200, "ok");
    notifier(policy()).send(down("#ops"));
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aRetryAfterGivenAsAnHttpDateIsReadAgainstTheInjectedClock() {
    // FakeTime starts at 2026-11-02T02:00:00Z; Slack asks for 02:00:12
    slack.then(429, "rate_limited", java.util.Map.of("Retry-After", "Mon, 02 Nov 2026 02:00:12 GMT")).then(200, "ok");
    notifier(policy()).send(down("#ops"));
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(12));
    assertThat(slack.received()).hasSize(2);
  }

  @Test
  void aRetryAfterBeyondTheMaximumWaitFailsAtOnceNamingBothPauses() {
    slack.then(429, "rate_limited", java.util.Map.of("Retry-After", "120"));
    SlackNotifier n = notifier(policy().toBuilder().maxWait(Duration.ofSeconds(30)).build());
    assertThatThrownBy(() -> n.send(down("#ops")))
        .isInstanceOf(NotificationException.class)
        .hasMessage("slack: 'shop is DOWN' to #ops failed (the server asked to wait 120 s before retrying,"
            + " longer than maxWait 30 s): HTTP 429 rate_limited");
    assertThat(slack.received()).hasSize(1);
    assertThat(time.waits()).isEmpty();
    // the failure was not a delivery: repeating the alert tries again
    n.send(down("#ops"));
    assertThat(slack.received()).hasSize(2);
  }

  @Test
  void theGrowingBackoffStopsAtTheMaximumWait() {
    slack.then(500, "a").then(500, "b").then(500, "c").then(200, "ok");
    SlackNotifier n = notifier(policy().toBuilder().maxAttempts(4).backoff(Duration.ofSeconds(2), 3.0)
        .maxWait(Duration.ofSeconds(10)).build());
    n.send(down("#ops"));
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(10));
  }

  @Test
  void aMaximumWaitBelowTheFirstBackoffIsRefused() {
    assertThatThrownBy(() -> policy().toBuilder().maxWait(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWait must be at least initialBackoff (PT1S), got PT0.5S");
  }

  @Test
  void aStallingServerTimesOutEachAttemptAndTheSendIsBounded() {
    slack.stallByDefault();
    SlackNotifier n = notifier(policy().toBuilder().timeout(Duration.ofMillis(300)).maxAttempts(2).build());
    assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
        assertThatThrownBy(() -> n.send(down("#ops")))
            .isInstanceOf(NotificationException.class)
            .hasMessage("slack: 'shop is DOWN' to #ops failed (gave up after 2 attempts): no answer within PT0.3S"));
    assertThat(slack.received()).hasSize(2);
    assertThat(time.waits()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndLetsATrialThroughAfterItsOpenTime() {
    SlackNotifier n = notifier(policy().toBuilder().maxAttempts(1).breaker(3, Duration.ofMinutes(1)).build());
    for (int i = 0; i < 3; i++) {
      slack.then(500, "internal_error");
      Alert a = Alert.of(AT, AlertSeverity.HIGH, "failure " + i, "");
      assertThatThrownBy(() -> n.send(a.to("#ops"))).hasMessageContaining("HTTP 500");
    }
    assertThatThrownBy(() -> n.send(down("#ops")))
        .isInstanceOf(NotificationException.class)
        .hasMessage("slack: circuit breaker is open after repeated failures; 'shop is DOWN' to #ops was not sent (attempt 1)");
    assertThat(slack.received()).hasSize(3); // the open breaker did not touch the network
    time.clock.advance(Duration.ofSeconds(59));
    assertThatThrownBy(() -> n.send(down("#ops"))).hasMessageContaining("circuit breaker is open");
    time.clock.advance(Duration.ofSeconds(2));
    n.send(down("#ops"));
    assertThat(slack.received()).hasSize(4);
    n.send(Alert.of(AT, AlertSeverity.INFO, "recovered", "").to("#ops"));
    assertThat(slack.received()).hasSize(5);
  }

  @Test
  void repeatsAreSuppressedWithinTheWindowAndSentAgainAfterIt() {
    SlackNotifier n = notifier(policy());
    n.send(down("#ops"));
    time.clock.advance(Duration.ofMinutes(9));
    n.send(down("#ops"));
    assertThat(slack.received()).hasSize(1);
    assertThat(n.suppressed()).isEqualTo(1);
    n.send(down("#support")); // another destination is not a repeat
    n.send(Alert.of(AT, AlertSeverity.CRITICAL, "api is DOWN", "").to("#ops")); // nor another condition
    assertThat(slack.received()).hasSize(3);
    time.clock.advance(Duration.ofMinutes(1));
    n.send(down("#ops"));
    assertThat(slack.received()).hasSize(4);
  }

  @Test
  void aFailedAlertIsNotSuppressedWhenRepeated() {
    SlackNotifier n = notifier(policy().toBuilder().maxAttempts(1).build());
    slack.then(500, "internal_error");
    assertThatThrownBy(() -> n.send(down("#ops"))).isInstanceOf(NotificationException.class);
    n.send(down("#ops"));
    assertThat(slack.received()).hasSize(2);
  }

  /** Sends on another thread; the future holds the failure, if any. */
  private static java.util.concurrent.CompletableFuture<Void> sendAsync(SlackNotifier n, Alert a, Thread[] thread) {
    java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
    thread[0] = new Thread(() -> {
      try {
        n.send(a);
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    thread[0].start();
    return f;
  }

  /**
   * Waits until {@code thread} is parked (the repeat waiting on the first send's outcome). A thread's
   * state has no notification, so this spins, yielding the core, bounded at 10 s.
   */
  private static void untilParked(Thread thread) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("%s parked within 10 s (state %s)", thread, thread.getState()).isLessThan(deadline);
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void anIdenticalAlertSentWhileTheFirstIsInFlightIsSentItselfWhenTheFirstFails() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    slack.thenOnceOpen(gate, 500, "internal_error"); // then the default answer: 200 ok
    SlackNotifier n = notifier(policy().toBuilder().maxAttempts(1).build());
    Thread[] first = new Thread[1];
    Thread[] second = new Thread[1];
    var a = sendAsync(n, down("#ops"), first);
    slack.awaitReceived(1); // the first is at Slack, awaiting its answer
    var b = sendAsync(n, down("#ops"), second);
    untilParked(second[0]); // the repeat waits for the first's outcome
    assertThat(slack.received()).hasSize(1);
    gate.countDown();
    assertThat(a).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(NotificationException.class).withMessageContaining("HTTP 500 internal_error");
    assertThat(b).succeedsWithin(Duration.ofSeconds(10));
    assertThat(slack.received()).hasSize(2);
    assertThat(slack.received().get(1).body()).isEqualTo(slack.received().get(0).body());
    assertThat(n.suppressed()).isZero();
  }

  @Test
  void anIdenticalAlertSentWhileTheFirstIsInFlightIsSuppressedWhenTheFirstSucceeds() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    slack.thenOnceOpen(gate, 200, "ok");
    SlackNotifier n = notifier(policy());
    Thread[] first = new Thread[1];
    Thread[] second = new Thread[1];
    var a = sendAsync(n, down("#ops"), first);
    slack.awaitReceived(1);
    var b = sendAsync(n, down("#ops"), second);
    untilParked(second[0]);
    gate.countDown();
    assertThat(a).succeedsWithin(Duration.ofSeconds(10));
    assertThat(b).succeedsWithin(Duration.ofSeconds(10));
    assertThat(slack.received()).hasSize(1);
    assertThat(n.suppressed()).isEqualTo(1);
  }

  @Test
  void theWebhookNeverAppearsInMessagesToStringOrLogs() {
    PrintStream err = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    SlackNotifier n = notifier(policy());
    slack.then(500, "echo " + PATH).then(500, "echo " + PATH).then(404, "no_service " + PATH);
    try {
      System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
      assertThatThrownBy(() -> n.send(down("#ops")))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).contains("no_service [redacted]"));
    } finally {
      System.setErr(err);
    }
    String logged = logs.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("slack: attempt 1 of 'shop is DOWN' to #ops failed").doesNotContain(TOKEN);
    assertThat(n.toString()).isEqualTo("SlackNotifier[channels=[#ops, #support], timeout=PT5S]").doesNotContain(TOKEN);
    assertThatThrownBy(() -> SlackNotifier.builder().webhook("#ops", Secret.ofUtf8("not a url " + TOKEN)))
        .hasMessage("the webhook of '#ops' is not an http(s) URL");
  }

  @Test
  void anAlertForAChannelWithoutWebhookNamesTheConfiguredOnes() {
    assertThatThrownBy(() -> notifier(policy()).send(down("#nowhere")))
        .isInstanceOf(NotificationException.class)
        .hasMessage("slack: no webhook for destination '#nowhere'; webhooks are configured for [#ops, #support]");
    assertThat(slack.received()).isEmpty();
  }

  @Test
  void itCountsWhatItSentSuppressedAndFailedToDeliver() {
    SlackNotifier n = notifier(policy());
    n.send(down("#ops"));
    n.send(down("#ops")); // a repeat within the window
    slack.then(500, "a").then(500, "b").then(500, "c");
    assertThatThrownBy(() -> n.send(down("#support"))).isInstanceOf(NotificationException.class);
    assertThat(n.sent()).isEqualTo(1);
    assertThat(n.suppressed()).isEqualTo(1);
    assertThat(n.failed()).isEqualTo(1);
  }
}
