package dev.pledge.sla.notify;

import dev.pledge.core.time.Sleeper;
import dev.pledge.core.Secret;
import java.time.Clock;
import java.util.Map;

/**
 * Builds the SMS notifier the policy's {@code alerts.sms} section describes. Found with
 * {@link java.util.ServiceLoader}; {@code pledge-sla-aws} provides the Amazon SNS one, so a host that
 * alerts only through Slack carries no AWS SDK. Implementations are stateless and thread-safe (P4).
 */
public interface SmsNotifierProvider {
  /**
   * The notifier for these settings, with every secret already read from the environment.
   *
   * @param sms the section's SMS settings (region, endpoint, sender id)
   * @param accessKeyId the gateway's access key id
   * @param secretAccessKey the gateway's secret key
   * @param phones each engineer id's E.164 number
   * @param policy timeouts, retries, breaker and de-duplication
   * @param clock the clock deliveries are timed with
   * @param sleeper how backoff waits
   * @return the notifier, which the caller closes
   */
  SmsNotifier create(AlertsPolicy.Sms sms, String accessKeyId, Secret secretAccessKey, Map<String, String> phones,
      DeliveryPolicy policy, Clock clock, Sleeper sleeper);

}
