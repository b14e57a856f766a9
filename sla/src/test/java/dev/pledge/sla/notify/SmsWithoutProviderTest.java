package dev.pledge.sla.notify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.sla.SlaPolicies;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pledge-sla alone: the alerts section loads and Slack works; SMS names the artifact that sends it. */
class SmsWithoutProviderTest {
  @Test
  void smsWithoutPledgeSlaAwsNamesTheArtifactToAdd() {
    AlertsPolicy alerts = SlaPolicies.load("oncall/good.yaml").require(AlertsPolicy.class);
    Map<String, String> env = Map.of("PLEDGE_SNS_ACCESS_KEY_ID", "AKIAPLEDGETEST", "PLEDGE_SNS_SECRET_ACCESS_KEY", "x",
        "PLEDGE_PHONE_ALICE", "+447700900123", "PLEDGE_PHONE_BOB", "+447700900456", "PLEDGE_PHONE_CAROL", "+447700900789");
    assertThatThrownBy(() -> alerts.smsNotifier(env::get, Clock.systemUTC(), d -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("alerts.sms: sending SMS through Amazon SNS needs the pledge-sla-aws artifact");
  }
}
