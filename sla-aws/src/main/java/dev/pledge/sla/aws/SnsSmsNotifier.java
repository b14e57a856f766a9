package dev.pledge.sla.aws;

import dev.pledge.core.Secret;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.NotificationException;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.core.time.Sleeper;
import dev.pledge.sla.notify.SmsNotifier;
import dev.pledge.sla.notify.internal.DeliveryFailure;
import dev.pledge.sla.notify.internal.ResilientDelivery;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Sends alerts as SMS through Amazon SNS (P4): {@code Publish} with a {@code PhoneNumber}, marked
 * {@code Transactional} so that carriers deliver it as urgent. The alert's destination is an E.164
 * number ({@code +447700900123}) or a name in the phone book given to the builder (an engineer's
 * id), so routing can page "whoever is on call".
 *
 * <p>Delivery follows a {@link DeliveryPolicy}; the SDK's own retries are off so that the policy's
 * retry, backoff and breaker are the only ones. The secret access key is a {@link Secret} and appears
 * in no log line, exception message or {@code toString()}. Messages are cut to
 * {@value #MAX_CHARS} characters. Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class SnsSmsNotifier implements SmsNotifier {
  /** The longest text sent; longer alerts are cut and end in an ellipsis. */
  public static final int MAX_CHARS = 320;
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private final Map<String, String> phoneBook;
  private final SnsClient sns;
  private final ResilientDelivery delivery;
  private final String secretText;
  private final Region region;
  private final String senderId;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private final Builder settings;

  private SnsSmsNotifier(Builder b) {
    this.settings = new Builder(b);
    if (b.accessKeyId == null || b.secretAccessKey == null) {
      throw new IllegalArgumentException("an SNS notifier needs credentials: call credentials(accessKeyId, secretAccessKey)");
    }
    this.phoneBook = Map.copyOf(b.phoneBook);
    this.region = b.region;
    this.senderId = b.senderId;
    this.secretText = b.secretAccessKey.utf8();
    var builder = SnsClient.builder()
        .region(b.region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(b.accessKeyId, secretText)))
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(b.policy.timeout()).socketTimeout(b.policy.timeout()).build())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(b.policy.timeout())
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .build());
    if (b.endpoint != null) {
      builder.endpointOverride(b.endpoint);
    }
    this.sns = builder.build();
    this.delivery = new ResilientDelivery("sms", b.policy, b.clock, b.sleeper, b.sharedDedup);
  }

  /** A builder with the default {@link DeliveryPolicy}, region {@code us-east-1} and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Texts {@code alert} to its destination, or does nothing when the same alert went there within
   * the de-duplication window.
   *
   * @throws NotificationException when the destination has no number, SNS rejected the message,
   *     every attempt failed, or the breaker is open
   * @throws IllegalStateException once the notifier is closed
   */
  @Override
  public void send(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    if (closed.get()) {
      throw new IllegalStateException("sms: the notifier is closed; '" + alert.title() + "' was not sent");
    }
    String number;
    try {
      number = number(alert.destination());
    } catch (NotificationException e) {
      delivery.failedBeforeDelivery(alert, alert.destination(), e.getMessage());
      throw e;
    }
    PublishRequest request = PublishRequest.builder()
        .phoneNumber(number)
        .message(text(alert))
        .messageAttributes(attributes())
        .build();
    delivery.deliver(alert, alert.destination(), () -> publish(request));
  }

  private Map<String, MessageAttributeValue> attributes() {
    Map<String, MessageAttributeValue> m = new LinkedHashMap<>();
    m.put("AWS.SNS.SMS.SMSType", MessageAttributeValue.builder().dataType("String").stringValue("Transactional").build());
    if (senderId != null) {
      m.put("AWS.SNS.SMS.SenderID", MessageAttributeValue.builder().dataType("String").stringValue(senderId).build());
    }
    return m;
  }

  private String number(String destination) {
    if (E164.matcher(destination).matches()) {
      return destination;
    }
    String n = phoneBook.get(destination);
    if (n == null) {
      throw new NotificationException("sms: no phone number for '" + destination
          + "'; give an E.164 number or add it to the phone book");
    }
    return n;
  }

  static String text(Alert alert) {
    String t = alert.severity() + ": " + alert.title() + (alert.body().isEmpty() ? "" : " - " + alert.body());
    t = t.replaceAll("\\s+", " ").strip();
    return t.length() <= MAX_CHARS ? t : t.substring(0, MAX_CHARS - 3) + "...";
  }

  private void publish(PublishRequest request) throws DeliveryFailure {
    try {
      sns.publish(request);
    } catch (SdkServiceException e) {
      int status = e.statusCode();
      String code = e instanceof SnsException s && s.awsErrorDetails() != null
          ? s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage() : e.getMessage();
      boolean retryable = status >= 500 || status == 429 || e.isThrottlingException();
      throw new DeliveryFailure("HTTP " + status + " " + ResilientDelivery.scrub(code, secretText), retryable);
    } catch (SdkClientException e) {
      // timeouts and I/O errors; the SDK's text may be long, keep its first line
      String msg = ResilientDelivery.scrub(e.getMessage(), secretText);
      int nl = msg.indexOf('\n');
      throw new DeliveryFailure(e.getClass().getSimpleName() + ": " + (nl > 0 ? msg.substring(0, nl) : msg), true);
    }
  }

  /**
   * Registers a listener told of every alert this notifier sent, suppressed as a repeat or failed to
   * deliver (channel {@code sms}; the destination is the engineer's id or the number as given), on the
   * sending thread. A listener that throws is logged and never breaks the send.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  @Override
  public dev.pledge.core.event.Subscription onDelivery(
      dev.pledge.core.event.EventListener<? super dev.pledge.sla.notify.AlertDelivery> listener) {
    return delivery.onDelivery(listener);
  }

  /**
   * Registers a listener told once each time the shared de-duplication store stops answering.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onDedupFallback(
      dev.pledge.core.event.EventListener<? super dev.pledge.sla.notify.AlertDedupStore.Fallback> listener) {
    return delivery.onSharedFallback(listener);
  }

  /** How many repeats were suppressed so far. */
  public long suppressed() {
    return delivery.suppressed();
  }

  /** Closes the SNS client; later sends throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      sns.close();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "SnsSmsNotifier[region=" + region + ", phoneBook=" + phoneBook.keySet() + "]";
  }

  /**
   * A builder holding every setting of this notifier (phone book, region, endpoint, credentials,
   * sender id, delivery policy, clock, sleeper, shared de-duplication store), to change one; {@code
   * build()} makes a new SNS client.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds an {@link SnsSmsNotifier}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> phoneBook = new LinkedHashMap<>();
    private Region region = Region.US_EAST_1;
    private URI endpoint;
    private String accessKeyId;
    private Secret secretAccessKey;
    private String senderId;
    private DeliveryPolicy policy = DeliveryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private dev.pledge.sla.notify.AlertDedupStore sharedDedup;

    private Builder() {}

    /**
     * De-duplicates across every node that uses {@code store} (one SMS for N nodes), falling back to
     * this node while it does not answer. Default: this node only.
     */
    public Builder sharedDedup(dev.pledge.sla.notify.AlertDedupStore store) {
      this.sharedDedup = java.util.Objects.requireNonNull(store, "store");
      return this;
    }

    /** The AWS region, such as {@code eu-west-2}. */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
        throw new IllegalArgumentException("region must read like eu-west-2, got '" + region + "'");
      }
      this.region = Region.of(region);
      return this;
    }

    /** Another endpoint than the region's, such as a local stand-in for SNS. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The access key id and its secret. */
    public Builder credentials(String accessKeyId, Secret secretAccessKey) {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must not be blank");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /** Adds the E.164 number of {@code name} (an engineer's id) for alerts addressed to that name. */
    public Builder phone(String name, String e164) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("phone book names must not be blank");
      }
      if (e164 == null || !E164.matcher(e164).matches()) {
        throw new IllegalArgumentException("phone number of '" + name + "' must be E.164 like +447700900123");
      }
      phoneBook.put(name, e164);
      return this;
    }

    /** An alphanumeric sender id shown where carriers allow it (up to 11 letters or digits). */
    public Builder senderId(String senderId) {
      if (senderId == null || !senderId.matches("[A-Za-z0-9]{1,11}") || senderId.matches("[0-9]+")) {
        throw new IllegalArgumentException("senderId must be 1 to 11 letters or digits, not only digits; got '" + senderId + "'");
      }
      this.senderId = senderId;
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
    public SnsSmsNotifier build() {
      return new SnsSmsNotifier(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.phoneBook.putAll(other.phoneBook);
      this.region = other.region;
      this.endpoint = other.endpoint;
      this.accessKeyId = other.accessKeyId;
      this.secretAccessKey = other.secretAccessKey;
      this.senderId = other.senderId;
      this.policy = other.policy;
      this.clock = other.clock;
      this.sleeper = other.sleeper;
      this.sharedDedup = other.sharedDedup;
    }
  }
}
