package dev.pledge.sla.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.sla.SlaPolicies;
import dev.pledge.sla.notify.AlertRouting;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.ScheduleException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnCallAndAlertsSectionsTest {

  private static PolicyDocument good() {
    return SlaPolicies.load("oncall/good.yaml");
  }

  @Test
  void theOnCallSectionBindsRotationsOverridesAndEscalation() {
    OnCallPolicy p = good().require(OnCallPolicy.class);
    OnCallSchedule s = OnCallSchedule.from(p);
    assertThat(s.onCall(Instant.parse("2026-10-28T23:00:00Z")).map(Engineer::id)).contains("alice");
    assertThat(s.onCall(Instant.parse("2026-11-02T09:00:00Z")).map(Engineer::id)).contains("bob"); // 09:00 GMT
    assertThat(s.onCall(Instant.parse("2026-12-26T03:00:00Z")).map(Engineer::id)).contains("carol"); // the swap
    assertThat(p.coverWeeks()).isEqualTo(8);
    assertThat(p.escalationPolicy()).hasValueSatisfying(e -> {
      assertThat(e.acknowledgeWithin()).isEqualTo(Duration.ofMinutes(15));
      assertThat(e.then()).containsExactly("bob", "maria");
    });
    p.validate(Instant.parse("2026-11-20T00:00:00Z"));
    // before the rotation starts, the gap is named
    assertThatThrownBy(() -> p.validate(Instant.parse("2026-10-25T22:00:00Z")))
        .isInstanceOf(ScheduleException.class)
        .hasMessage("out-of-hours gap: nobody is on call from 2026-10-25T22:00:00Z until 2026-10-26T09:00:00Z");
  }

  @Test
  void theAlertsSectionBindsRoutingDeliveryAndSecretReferences() {
    AlertsPolicy a = good().require(AlertsPolicy.class);
    AlertRouting r = a.toRouting();
    assertThat(r.pageChannel()).isEqualTo("#ops-urgent");
    assertThat(r.route(1).page()).isTrue();
    assertThat(r.route(2)).isEqualTo(new AlertRouting.Route(false, List.of("#support")));
    assertThat(a.toDeliveryPolicy()).isEqualTo(DeliveryPolicy.builder().timeout(Duration.ofSeconds(5)).maxAttempts(3)
        .backoff(Duration.ofMillis(500), 2).breaker(5, Duration.ofMinutes(1)).dedupWindow(Duration.ofMinutes(10)).build());
    assertThat(a.slack().webhooks()).containsEntry("#support", "PLEDGE_SLACK_SUPPORT_WEBHOOK");
    assertThat(a.sms().phones()).containsOnlyKeys("alice", "bob", "carol");
  }

  @Test
  void theDeliveryMaximumWaitBindsAndDefaultsToThirtySeconds() {
    assertThat(good().require(AlertsPolicy.class).toDeliveryPolicy().maxWait()).isEqualTo(Duration.ofSeconds(30));
    String yaml = SlaPolicies.text("oncall/good.yaml").replace("    attempts: 3\n", "    attempts: 3\n    maxWait: 20s\n");
    AlertsPolicy a = dev.pledge.core.policy.PolicyLoader.create().load("wait.yaml", yaml).require(AlertsPolicy.class);
    assertThat(a.toDeliveryPolicy().maxWait()).isEqualTo(Duration.ofSeconds(20));
    String tooShort = SlaPolicies.text("oncall/good.yaml").replace("    attempts: 3\n", "    attempts: 3\n    maxWait: 100ms\n");
    assertThatThrownBy(() -> dev.pledge.core.policy.PolicyLoader.create().load("short.yaml", tooShort))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("alerts.delivery: maxWait must be at least initialBackoff (PT0.5S), got PT0.1S");
  }

  @Test
  void notifiersReadTheirSecretsFromTheEnvironmentAndNameAMissingVariable() {
    AlertsPolicy a = good().require(AlertsPolicy.class);
    Map<String, String> env = Map.of("PLEDGE_SLACK_URGENT_WEBHOOK", "https://hooks.example/services/T/B/urgent0000",
        "PLEDGE_SLACK_SUPPORT_WEBHOOK", "https://hooks.example/services/T/B/support000");
    assertThat(a.slackNotifier(env::get, java.time.Clock.systemUTC(), d -> { }).toString())
        .isEqualTo("SlackNotifier[channels=[#ops-urgent, #support], timeout=PT5S]");
    assertThatThrownBy(() -> a.smsNotifier(env::get, java.time.Clock.systemUTC(), d -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sms.accessKeyIdEnv: environment variable PLEDGE_SNS_ACCESS_KEY_ID is not set");
  }

  @Test
  void theEffectivePolicyLoadsAgainToTheSameSections() {
    PolicyDocument doc = good();
    PolicyDocument again = dev.pledge.core.policy.PolicyLoader.create().load("effective.yaml", doc.toYaml());
    assertThat(again.require(OnCallPolicy.class)).isEqualTo(doc.require(OnCallPolicy.class));
    assertThat(again.require(AlertsPolicy.class)).isEqualTo(doc.require(AlertsPolicy.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // file | line | path | problem
      "unknown-role.yaml|12|oncall.engineers[3].role|developr",
      "bad-handoff.yaml|15|oncall.rotations[0]|handoff must read like 'Monday 09:00', got 'Mon 9am'",
      "bad-zone.yaml|15|oncall.rotations[0]|unknown zone 'Europe/Londn'",
      "developer-out-of-hours.yaml|3|oncall|engineer 'dev' is on call out of hours from 2026-11-09T17:30:00Z",
      "unknown-member.yaml|3|oncall|rotation 'ops-primary': unknown engineer 'zed'",
      "unknown-escalation.yaml|3|oncall|escalation: unknown engineer 'mario'",
      "override-backwards.yaml|21|oncall.overrides[0]|override must end after it starts",
      "inline-webhook.yaml|47|alerts.slack|webhooks.#support must name an environment variable",
      "unrouted-channel.yaml|29|alerts|tier 3 posts to '#random', which has no webhook",
      "zero-timeout.yaml|39|alerts.delivery.timeout|must be greater than zero",
      "bad-region.yaml|51|alerts.sms|region must read like eu-west-2, got 'London'",
      "twice-routed.yaml|29|alerts|tier 2 is routed twice",
      "gold-not-paged.yaml|29|alerts|tier 1 (Gold) always pages the engineer on call (P4)",
      "unknown-key.yaml|40|alerts.delivery.atempts|unknown key 'atempts'",
  })
  void malformedSectionsFailNamingFileLineAndPath(String file, int line, String path, String problem) {
    assertThatThrownBy(() -> SlaPolicies.load("oncall/" + file))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.path()).as(e.getMessage()).startsWith(path);
          assertThat(e.problem()).as(e.getMessage()).contains(problem);
          assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(e.column()).as(e.getMessage()).isPositive();
          assertThat(e.getMessage()).startsWith("oncall/" + file + ":" + line + ":" + e.column() + ": ");
          assertThat(e.getMessage()).doesNotContain("s3cr3tT0k3nXyZ");
        });
  }
}
