package dev.pledge.sla.aws;

import dev.pledge.sla.notify.DeliveryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pledge.core.Secret;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.NotificationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnsSmsNotifierTest {
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLEDGEKEY";
  private static final Instant AT = Instant.parse("2026-11-02T02:14:00Z");
  private static final String OK = """
      <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
        <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
        <ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>
      </PublishResponse>""";

  private static String error(String type, String code, String message) {
    return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>" + type
        + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
        + "<RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId></ErrorResponse>";
  }

  private final StandInServer sns = new StandInServer(200, "text/xml", OK);
  private final FakeTime time = new FakeTime();
  private SnsSmsNotifier notifier;

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    sns.close();
  }

  private SnsSmsNotifier notifier(DeliveryPolicy policy) {
    notifier = SnsSmsNotifier.builder().region("eu-west-2").endpoint(URI.create(sns.url()))
        .credentials("AKIAPLEDGETEST", Secret.ofUtf8(SECRET_KEY))
        .phone("alice", "+447700900123").senderId("Pledge")
        .policy(policy).clock(time.clock).sleeper(time).build();
    return notifier;
  }

  private static DeliveryPolicy policy() {
    return DeliveryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(250), 3.0)
        .breaker(4, Duration.ofMinutes(2)).dedupWindow(Duration.ofMinutes(5)).build();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  private static Alert gold() {
    return Alert.of(AT, AlertSeverity.CRITICAL, "Gold report R-17", "shop is down for everyone\nsince 02:10").to("alice");
  }

  @Test
  void publishesOneSignedQueryProtocolRequestWithThePhoneNumberAndMessage() {
    notifier(policy()).send(gold());
    assertThat(sns.received()).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/");
      assertThat(r.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
      assertThat(r.headers().get("Authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIAPLEDGETEST/")
          .contains("/eu-west-2/sns/aws4_request")
          .doesNotContain(SECRET_KEY);
      assertThat(form(r.body())).containsExactlyInAnyOrderEntriesOf(Map.of(
          "Action", "Publish",
          "Version", "2010-03-31",
          "PhoneNumber", "+447700900123",
          "Message", "CRITICAL: Gold report R-17 - shop is down for everyone since 02:10",
          "MessageAttributes.entry.1.Name", "AWS.SNS.SMS.SMSType",
          "MessageAttributes.entry.1.Value.DataType", "String",
          "MessageAttributes.entry.1.Value.StringValue", "Transactional",
          "MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID",
          "MessageAttributes.entry.2.Value.DataType", "String",
          "MessageAttributes.entry.2.Value.StringValue", "Pledge"));
    });
  }

  @Test
  void anE164DestinationIsUsedAsIsAndLongTextIsCut() {
    notifier(policy()).send(Alert.of(AT, AlertSeverity.HIGH, "x".repeat(400), "").to("+15555550100"));
    Map<String, String> f = form(sns.received().get(0).body());
    assertThat(f.get("PhoneNumber")).isEqualTo("+15555550100");
    assertThat(f.get("Message")).hasSize(SnsSmsNotifier.MAX_CHARS).endsWith("...");
  }

  @Test
  void serverErrorsAndThrottlingAreRetriedThenTheMessageGoesOnce() {
    sns.then(500, error("Receiver", "InternalError", "try again"))
        .then(400, error("Sender", "Throttling", "Rate exceeded"));
    notifier(policy()).send(gold());
    assertThat(sns.received()).hasSize(3);
    assertThat(sns.received()).extracting(r -> form(r.body()).get("PhoneNumber")).containsOnly("+447700900123");
    assertThat(time.waits()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(750));
  }

  @Test
  void aRejectedNumberIsNotRetriedAndTheErrorIsNamed() {
    sns.then(400, error("Sender", "InvalidParameter", "Invalid parameter: PhoneNumber Reason: not valid to publish"));
    assertThatThrownBy(() -> notifier(policy()).send(gold()))
        .isInstanceOf(NotificationException.class)
        .hasMessage("sms: 'Gold report R-17' to alice failed (rejected, not retried): HTTP 400 "
            + "InvalidParameter: Invalid parameter: PhoneNumber Reason: not valid to publish")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_KEY));
    assertThat(sns.received()).hasSize(1);
  }

  @Test
  void aStallingEndpointTimesOutAndTheSendIsBounded() {
    sns.stallByDefault();
    SnsSmsNotifier n = notifier(policy().toBuilder().timeout(Duration.ofMillis(400)).maxAttempts(2).build());
    assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
        assertThatThrownBy(() -> n.send(gold()))
            .isInstanceOf(NotificationException.class)
            .hasMessageStartingWith("sms: 'Gold report R-17' to alice failed (gave up after 2 attempts): ")
            .hasMessageContaining("Timeout"));
    assertThat(sns.received()).hasSize(2);
  }

  @Test
  void theCircuitOpensAfterRepeatedFailures() {
    SnsSmsNotifier n = notifier(policy().toBuilder().maxAttempts(2).build());
    for (int i = 0; i < 4; i++) {
      sns.then(503, error("Receiver", "ServiceUnavailable", "down"));
    }
    assertThatThrownBy(() -> n.send(gold())).hasMessageContaining("HTTP 503");
    assertThatThrownBy(() -> n.send(Alert.of(AT, AlertSeverity.CRITICAL, "breach R-18", "").to("alice")))
        .hasMessageContaining("HTTP 503");
    assertThatThrownBy(() -> n.send(Alert.of(AT, AlertSeverity.CRITICAL, "breach R-19", "").to("alice")))
        .hasMessage("sms: circuit breaker is open after repeated failures; 'breach R-19' to alice was not sent (attempt 1)");
    assertThat(sns.received()).hasSize(4);
    time.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    n.send(Alert.of(AT, AlertSeverity.CRITICAL, "breach R-19", "").to("alice"));
    assertThat(sns.received()).hasSize(5);
  }

  @Test
  void repeatsAreSuppressedWithinTheWindow() {
    SnsSmsNotifier n = notifier(policy());
    n.send(gold());
    time.clock.advance(Duration.ofMinutes(4));
    n.send(gold());
    assertThat(sns.received()).hasSize(1);
    time.clock.advance(Duration.ofMinutes(1));
    n.send(gold());
    assertThat(sns.received()).hasSize(2);
    assertThat(n.suppressed()).isEqualTo(1);
  }

  @Test
  void unknownRecipientsAndBadSettingsAreNamedWithoutSecrets() {
    SnsSmsNotifier n = notifier(policy());
    assertThatThrownBy(() -> n.send(gold().to("bob")))
        .hasMessage("sms: no phone number for 'bob'; give an E.164 number or add it to the phone book");
    assertThat(n.toString()).isEqualTo("SnsSmsNotifier[region=eu-west-2, phoneBook=[alice]]");
    assertThatThrownBy(() -> SnsSmsNotifier.builder().phone("bob", "07700 900123"))
        .hasMessage("phone number of 'bob' must be E.164 like +447700900123");
    assertThatThrownBy(() -> SnsSmsNotifier.builder().region("London"))
        .hasMessage("region must read like eu-west-2, got 'London'");
    assertThatThrownBy(() -> SnsSmsNotifier.builder().build())
        .hasMessageContaining("needs credentials");
    assertThat(sns.received()).isEmpty();
  }
}
