package dev.pledge.sla.aws.internal;

import dev.pledge.core.Secret;
import dev.pledge.sla.aws.SnsSmsNotifier;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.core.time.Sleeper;
import dev.pledge.sla.notify.SmsNotifier;
import dev.pledge.sla.notify.SmsNotifierProvider;
import java.time.Clock;
import java.util.Map;

/** Builds the policy's {@code alerts.sms} notifier on Amazon SNS. Not an API. */
public final class SnsSmsNotifierProvider implements SmsNotifierProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public SnsSmsNotifierProvider() {}

  @Override
  public SmsNotifier create(AlertsPolicy.Sms sms, String accessKeyId, Secret secretAccessKey, Map<String, String> phones,
      DeliveryPolicy policy, Clock clock, Sleeper sleeper) {
    SnsSmsNotifier.Builder b = SnsSmsNotifier.builder().region(sms.region()).policy(policy)
        .clock(clock).sleeper(sleeper).credentials(accessKeyId, secretAccessKey);
    if (sms.endpoint() != null) {
      b.endpoint(sms.endpoint());
    }
    if (sms.senderId() != null) {
      b.senderId(sms.senderId());
    }
    phones.forEach(b::phone);
    return b.build();
  }
}
