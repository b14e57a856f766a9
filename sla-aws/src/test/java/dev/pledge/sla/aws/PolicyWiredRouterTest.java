package dev.pledge.sla.aws;

import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.notify.SmsNotifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;

import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The oncall and alerts sections of a policy, wired into a router that pages through stand-ins. */
class PolicyWiredRouterTest {
  private final StandInServer slack = new StandInServer(200, "text/plain", "ok");
  private final StandInServer sns = new StandInServer(200, "text/xml",
      "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>1</MessageId>"
          + "</PublishResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></PublishResponse>");
  private final FakeTime time = new FakeTime(); // Monday 2 Nov 2026 02:00Z: alice's week

  @AfterEach
  void stop() {
    slack.close();
    sns.close();
  }

  @Test
  void aGoldReportPagesThroughTheNotifiersThePolicyDescribes() {
    PolicyDocument doc = document();
    AlertRouter router = AlertRouter.builder(doc.require(AlertsPolicy.class),
            dev.pledge.sla.oncall.OnCallSchedule.from(doc.require(OnCallPolicy.class)))
        .environment(env()::get).clock(time.clock).sleeper(time).build();
    Classifier classifier = Classifier.from(TestPolicies.bundled());
    AlertRouter.Dispatch d = router.reported("R-30", classifier.classify(Report.of("checkout is down")), "checkout is down");
    assertThat(d.allFailed()).isFalse();
    assertThat(sns.received()).singleElement().satisfies(r -> assertThat(r.body()).contains("PhoneNumber=%2B447700900123"));
    assertThat(slack.received()).extracting(StandInServer.Received::path).containsExactly("/services/T1/B1/urgentToken1");
    // a Bronze report follows the routing: the support channel only
    router.reported("R-31", classifier.classify(Report.of("the logo looks wrong on the invoice")), "logo looks wrong");
    assertThat(sns.received()).hasSize(1);
    assertThat(slack.received()).extracting(StandInServer.Received::path)
        .containsExactly("/services/T1/B1/urgentToken1", "/services/T1/B2/supportToken2");
  }

  private PolicyDocument document() {
    String yaml = TestPolicies.text("oncall/good.yaml")
        .replace("    region: eu-west-2\n", "    region: eu-west-2\n    endpoint: " + sns.url() + "\n");
    return PolicyLoader.create().load("good.yaml", yaml);
  }

  private Map<String, String> env() {
    return Map.of(
        "PLEDGE_SLACK_URGENT_WEBHOOK", slack.url() + "/services/T1/B1/urgentToken1",
        "PLEDGE_SLACK_SUPPORT_WEBHOOK", slack.url() + "/services/T1/B2/supportToken2",
        "PLEDGE_SNS_ACCESS_KEY_ID", "AKIAPLEDGETEST",
        "PLEDGE_SNS_SECRET_ACCESS_KEY", "not-a-real-secret",
        "PLEDGE_PHONE_ALICE", "+447700900123",
        "PLEDGE_PHONE_BOB", "+447700900456",
        "PLEDGE_PHONE_CAROL", "+447700900789");
  }

  @Test
  void closingARouterTheSectionBuiltClosesTheSnsClientItCreated() {
    PolicyDocument doc = document();
    AlertRouter router = AlertRouter.builder(doc.require(AlertsPolicy.class),
            dev.pledge.sla.oncall.OnCallSchedule.from(doc.require(OnCallPolicy.class)))
        .environment(env()::get).clock(time.clock).sleeper(time).build();
    Classifier classifier = Classifier.from(TestPolicies.bundled());
    router.close();
    router.close(); // idempotent
    AlertRouter.Dispatch d = router.reported("R-32", classifier.classify(Report.of("checkout is down")), "checkout is down");
    assertThat(d.sent()).filteredOn(s -> s.channel().equals("sms")).singleElement().satisfies(s -> {
      assertThat(s.delivered()).isFalse();
      assertThat(s.error()).contains("the notifier is closed");
    });
    assertThat(sns.received()).isEmpty();
    // Slack holds nothing to close: the page channel still hears of it
    assertThat(slack.received()).extracting(StandInServer.Received::path).containsExactly("/services/T1/B1/urgentToken1");
  }

  @Test
  void closingARouterLeavesTheNotifiersTheCallerPassedOpen() {
    PolicyDocument doc = document();
    AlertsPolicy alerts = doc.require(AlertsPolicy.class);
    Map<String, String> env = env();
    try (SmsNotifier sms = alerts.smsNotifier(env::get, time.clock, time)) {
      assertThat(sms).as("found through ServiceLoader").isInstanceOf(SnsSmsNotifier.class);
      AlertRouter router = AlertRouter.builder(dev.pledge.sla.oncall.OnCallSchedule.from(doc.require(OnCallPolicy.class)), alerts.toRouting())
          .slack(alerts.slackNotifier(env::get, time.clock, time)).sms(sms).clock(time.clock).build();
      router.close();
      assertThat(sms.isClosed()).isFalse();
      sms.send(dev.pledge.core.notify.Alert.of(time.clock.instant(), dev.pledge.core.notify.AlertSeverity.CRITICAL,
          "still open", "after the router closed").to("alice"));
      assertThat(sns.received()).singleElement().satisfies(r -> assertThat(r.body()).contains("PhoneNumber=%2B447700900123"));
    }
  }
}
