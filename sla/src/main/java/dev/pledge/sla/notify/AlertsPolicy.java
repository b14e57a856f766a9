package dev.pledge.sla.notify;

import dev.pledge.core.time.Sleeper;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.core.Secret;
import dev.pledge.core.policy.AllowZero;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code alerts} section of the policy document (P4): the page channel and the routing of each
 * tier, how alerts are delivered, and where the Slack webhooks and SNS credentials come from.
 * Secrets are never written in the policy: the section names the environment variables that hold
 * them, and a value that looks like a secret itself is rejected. Immutable.
 *
 * @param pageChannel the Slack channel every page also goes to
 * @param routing the route of each tier; Gold (tier 1) always pages
 * @param delivery timeouts, retries, breaker and de-duplication; defaults when absent
 * @param slack the Slack webhooks by channel, as environment variable names
 * @param sms the SNS settings, or {@code null} when no SMS is sent
 */
public record AlertsPolicy(
    @JsonProperty(required = true) String pageChannel,
    List<TierRoute> routing,
    Delivery delivery,
    @JsonProperty(required = true) Slack slack,
    Sms sms) {
  private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");

  /** Validates the section: every routed channel has a webhook, every tier is routed once. */
  public AlertsPolicy {
    if (pageChannel == null || pageChannel.isBlank()) {
      throw new IllegalArgumentException("pageChannel must name a Slack channel such as #ops-urgent");
    }
    routing = routing == null ? List.of() : List.copyOf(routing);
    delivery = delivery == null ? new Delivery(null, null, null, null, null, null, null, null) : delivery;
    Objects.requireNonNull(slack, "slack");
    if (!slack.webhooks().containsKey(pageChannel)) {
      throw new IllegalArgumentException("pageChannel '" + pageChannel + "' has no webhook in slack.webhooks "
          + slack.webhooks().keySet());
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (TierRoute r : routing) {
      if (r.tier() == 1 && r.page() != null && !r.page()) {
        throw new IllegalArgumentException("routing: tier 1 (Gold) always pages the engineer on call (P4); remove page: false");
      }
      if (!seen.add(r.tier())) {
        throw new IllegalArgumentException("routing: tier " + r.tier() + " is routed twice");
      }
      for (String c : r.slack()) {
        if (!slack.webhooks().containsKey(c)) {
          throw new IllegalArgumentException("routing: tier " + r.tier() + " posts to '" + c
              + "', which has no webhook in slack.webhooks " + slack.webhooks().keySet());
        }
      }
    }
    if (sms == null) {
      throw new IllegalArgumentException("sms must be configured: Gold reports and breaches page the engineer on call by SMS (P4)");
    }
  }

  /** The routing as the router reads it. */
  public AlertRouting toRouting() {
    Map<Integer, AlertRouting.Route> m = new LinkedHashMap<>();
    routing.forEach(r -> m.put(r.tier(), new AlertRouting.Route(r.pageOrDefault(), r.slack())));
    return new AlertRouting(pageChannel, m);
  }

  /** The delivery policy. */
  public DeliveryPolicy toDeliveryPolicy() {
    return delivery.toPolicy();
  }

  /**
   * A Slack notifier whose webhooks are read from the environment through {@code env} (usually
   * {@code System::getenv}).
   *
   * @throws IllegalStateException naming the variable that is unset
   */
  public SlackNotifier slackNotifier(Function<String, String> env, Clock clock, Sleeper sleeper) {
    SlackNotifier.Builder b = SlackNotifier.builder().policy(toDeliveryPolicy()).clock(clock).sleeper(sleeper);
    slack.webhooks().forEach((channel, var) -> b.webhook(channel, secret(env, var, "slack.webhooks." + channel)));
    return b.build();
  }

  /**
   * An SMS notifier whose credentials and phone numbers are read from the environment through
   * {@code env}, built by the {@link SmsNotifierProvider} on the class path or module path (Amazon
   * SNS from {@code pledge-sla-aws}).
   *
   * @param env reads an environment variable, usually {@code System::getenv}
   * @param clock the clock deliveries are timed with
   * @param sleeper how backoff waits
   * @return the notifier, which the caller closes
   * @throws IllegalStateException naming the variable that is unset, or the artifact to add when no
   *     provider is present
   */
  public SmsNotifier smsNotifier(Function<String, String> env, Clock clock, Sleeper sleeper) {
    String accessKeyId = required(env, sms.accessKeyIdEnv(), "sms.accessKeyIdEnv");
    Secret secretKey = secret(env, sms.secretAccessKeyEnv(), "sms.secretAccessKeyEnv");
    Map<String, String> phones = new LinkedHashMap<>();
    sms.phones().forEach((id, var) -> phones.put(id, required(env, var, "sms.phones." + id)));
    for (SmsNotifierProvider p : java.util.ServiceLoader.load(SmsNotifierProvider.class,
        AlertsPolicy.class.getClassLoader())) {
      return p.create(sms, accessKeyId, secretKey, phones, toDeliveryPolicy(), clock, sleeper);
    }
    throw new IllegalStateException("alerts.sms: sending SMS through Amazon SNS needs the pledge-sla-aws artifact");
  }

  /**
   * A router over {@code schedule} with this section's routing and both notifiers, their secrets
   * read through {@code env}. The router owns the SNS client it creates: close the router when done.
   *
   * @throws IllegalStateException naming an unset environment variable
   * @deprecated a section does not build components, and the clock is a builder setting: use {@link
   *     AlertRouter#builder(AlertsPolicy, dev.pledge.sla.oncall.OnCallSchedule)} with {@code
   *     environment}, {@code clock} and {@code sleeper}
   */
  @Deprecated(since = "0.2.0")
  public AlertRouter router(dev.pledge.sla.oncall.OnCallSchedule schedule, Function<String, String> env, Clock clock,
      Sleeper sleeper) {
    return AlertRouter.builder(this, schedule).environment(env).clock(clock).sleeper(sleeper).build();
  }

  private static Secret secret(Function<String, String> env, String var, String where) {
    return Secret.ofUtf8(required(env, var, where));
  }

  private static String required(Function<String, String> env, String var, String where) {
    String v = env.apply(var);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(where + ": environment variable " + var + " is not set");
    }
    return v.strip();
  }

  static String envName(String field, String value) {
    if (value == null || !ENV.matcher(value).matches()) {
      // never echo the value: it may be the secret itself, pasted by mistake
      throw new IllegalArgumentException(field + " must name an environment variable (such as PLEDGE_SLACK_OPS_WEBHOOK),"
          + " never hold the secret itself");
    }
    return value;
  }

  /**
   * The route of one tier.
   *
   * @param tier the tier's rank
   * @param page whether the engineer on call is paged; Gold always is
   * @param slack channels to post to
   */
  public record TierRoute(@JsonProperty(required = true) int tier, Boolean page, List<String> slack) {
    /** Validates the route. */
    public TierRoute {
      if (tier < 1) {
        throw new IllegalArgumentException("tier must be at least 1, got " + tier);
      }
      slack = slack == null ? List.of() : List.copyOf(slack);
      new AlertRouting.Route(page != null && page, slack);
    }

    boolean pageOrDefault() {
      return page != null && page;
    }
  }

  /**
   * Delivery settings; each defaults as {@link DeliveryPolicy#defaults()} does.
   *
   * @param timeout per attempt
   * @param attempts attempts per alert
   * @param backoff the first wait before a retry
   * @param backoffMultiplier the growth of later waits
   * @param breakerFailures failed attempts in a row that open the breaker
   * @param breakerOpenFor how long the breaker stays open
   * @param dedupWindow how long repeats are suppressed; zero turns it off
   * @param maxWait the longest wait before one retry, Slack's {@code Retry-After} included
   */
  public record Delivery(Duration timeout, Integer attempts, Duration backoff, Double backoffMultiplier,
      Integer breakerFailures, Duration breakerOpenFor, @AllowZero Duration dedupWindow, Duration maxWait) {
    /** Validates the settings by building the policy. */
    public Delivery {
      policy(timeout, attempts, backoff, backoffMultiplier, breakerFailures, breakerOpenFor, dedupWindow, maxWait);
    }

    DeliveryPolicy toPolicy() {
      return policy(timeout, attempts, backoff, backoffMultiplier, breakerFailures, breakerOpenFor, dedupWindow,
          maxWait);
    }

    private static DeliveryPolicy policy(Duration timeout, Integer attempts, Duration backoff, Double backoffMultiplier,
        Integer breakerFailures, Duration breakerOpenFor, Duration dedupWindow, Duration maxWait) {
      DeliveryPolicy d = DeliveryPolicy.defaults();
      return DeliveryPolicy.builder()
          .timeout(timeout != null ? timeout : d.timeout())
          .maxAttempts(attempts != null ? attempts : d.maxAttempts())
          .backoff(backoff != null ? backoff : d.initialBackoff(),
              backoffMultiplier != null ? backoffMultiplier : d.backoffMultiplier())
          .breaker(breakerFailures != null ? breakerFailures : d.breakerFailures(),
              breakerOpenFor != null ? breakerOpenFor : d.breakerOpenFor())
          .dedupWindow(dedupWindow != null ? dedupWindow : d.dedupWindow())
          .maxWait(maxWait != null ? maxWait : d.maxWait())
          .build();
    }
  }

  /**
   * Slack settings.
   *
   * @param webhooks for each channel, the name of the environment variable holding its webhook URL
   */
  public record Slack(@JsonProperty(required = true) Map<String, String> webhooks) {
    /** Validates the settings. */
    public Slack {
      if (webhooks == null || webhooks.isEmpty()) {
        throw new IllegalArgumentException("webhooks must map at least one channel to an environment variable");
      }
      webhooks.forEach((k, v) -> envName("webhooks." + k, v));
      webhooks = Collections.unmodifiableMap(new LinkedHashMap<>(webhooks));
    }
  }

  /**
   * SMS through Amazon SNS.
   *
   * @param region the AWS region, such as {@code eu-west-2}
   * @param endpoint another endpoint than the region's, or {@code null}
   * @param accessKeyIdEnv the environment variable holding the access key id
   * @param secretAccessKeyEnv the environment variable holding the secret access key
   * @param senderId an alphanumeric sender id, or {@code null}
   * @param phones for each engineer id, the environment variable holding their E.164 number
   */
  public record Sms(@JsonProperty(required = true) String region, URI endpoint,
      @JsonProperty(required = true) String accessKeyIdEnv, @JsonProperty(required = true) String secretAccessKeyEnv,
      String senderId, Map<String, String> phones) {
    /** Validates the settings. */
    public Sms {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
        throw new IllegalArgumentException("region must read like eu-west-2, got '" + region + "'");
      }
      if (senderId != null && (!senderId.matches("[A-Za-z0-9]{1,11}") || senderId.matches("[0-9]+"))) {
        throw new IllegalArgumentException("senderId must be 1 to 11 letters or digits, not only digits; got '" + senderId + "'");
      }
      envName("accessKeyIdEnv", accessKeyIdEnv);
      envName("secretAccessKeyEnv", secretAccessKeyEnv);
      phones = phones == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phones));
      phones.forEach((k, v) -> envName("phones." + k, v));
    }
  }
}
