package dev.pledge.sla.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.sla.SlaPolicies;
import org.junit.jupiter.api.Test;

/** The alerts section checked against the sla, oncall and uptime sections once the document loaded. */
class AlertsChecksTest {
  private static final String UPTIME = """
      uptime:
        zone: Europe/London
        alertDestination: "#ops-urgent"
      """;

  /** The sla, oncall, alerts and uptime sections as the bundled policy has them. */
  private static String whole() {
    return SlaPolicies.text("sla-good.yaml") + SlaPolicies.text("oncall/good.yaml") + UPTIME;
  }

  private static PolicyDocument load(String yaml) {
    return PolicyLoader.create().load("policy.yaml", yaml);
  }

  /** The warnings of the checks under test (the uptime section warns of its missing probes itself). */
  private static java.util.List<PolicyWarning> warnings(String yaml) {
    return load(yaml).warnings().stream().filter(w -> !w.rule().equals("p4/probes")).toList();
  }

  /** "policy.yaml:L:C" of the first occurrence of {@code marker} in {@code yaml}. */
  private static String at(String yaml, String marker) {
    int i = yaml.indexOf(marker);
    assertThat(i).as("marker '%s'", marker).isNotNegative();
    int line = (int) yaml.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
    int col = i - (yaml.lastIndexOf('\n', i - 1) + 1) + 1;
    return "policy.yaml:" + line + ":" + col;
  }

  private static void failsAt(String yaml, String marker, String path, String problem) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage()).isEqualTo(at(yaml, marker) + ": " + path + ": " + problem);
        });
  }

  @Test
  void sectionsThatAgreeLoadWarningOnlyOfAnEscalationTargetWithoutAPhone() {
    String yaml = whole();
    assertThat(warnings(yaml)).singleElement().satisfies(w -> {
      assertThat(w.rule()).isEqualTo("p38/escalation-phone");
      assertThat(w.path()).isEqualTo("alerts.sms.phones");
      assertThat(w.location()).isEqualTo(at(yaml, "phones: {alice"));
      assertThat(w.message()).isEqualTo("escalation pages 'maria' by SMS but they have no phone: the escalation"
          + " reaches the page channel #ops-urgent only");
    });
  }

  @Test
  void aRouteForATierTheSlaSectionLacksIsAnError() {
    String yaml = whole().replace("    - tier: 3\n      slack: [\"#support\"]", "    - tier: 4\n      slack: [\"#support\"]");
    failsAt(yaml, "tier: 4", "alerts.routing[2].tier",
        "tier 4 is not a tier of sla.tiers (ranks [1, 2, 3]); its route would never be used");
  }

  @Test
  void aGoldTierThatWouldNotPageIsAnError() {
    String yaml = whole()
        .replace("    - rank: 1\n      name: Gold", "    - rank: 1\n      name: Platinum")
        .replace("    - rank: 2\n      name: Silver", "    - rank: 2\n      name: Gold");
    failsAt(yaml, "rank: 2", "sla.tiers[1].rank", "Gold is tier 2, whose route does not page; Gold reports page"
        + " the engineer on call at once (P4): make Gold rank 1 or route tier 2 with page: true");
    // routed to page, a Gold tier 2 is fine
    String paged = yaml.replace("    - tier: 2\n      slack:", "    - tier: 2\n      page: true\n      slack:");
    assertThat(warnings(paged)).extracting(PolicyWarning::rule).containsExactly("p38/escalation-phone");
  }

  @Test
  void anOperationsEngineerOnCallOutOfHoursWithoutAPhoneIsAnError() {
    String yaml = whole().replace(", carol: PLEDGE_PHONE_CAROL}", "}");
    failsAt(yaml, "phones: {alice", "alerts.sms.phones", "operations engineer 'carol' (rotation 'ops-primary')"
        + " can be on call out of hours but has no phone here: a page at night would reach nobody (P4, P38)");
  }

  @Test
  void withoutAnyPhonesTheErrorPointsAtTheSmsSettingsAndNamesEveryone() {
    String yaml = whole().replace("    phones: {alice: PLEDGE_PHONE_ALICE, bob: PLEDGE_PHONE_BOB, carol: PLEDGE_PHONE_CAROL}\n", "");
    failsAt(yaml, "sms:", "alerts.sms.phones", "operations engineers 'alice' (rotation 'ops-primary'),"
        + " 'bob' (rotation 'ops-primary'), 'carol' (rotation 'ops-primary') can be on call out of hours but have"
        + " no phone here: a page at night would reach nobody (P4, P38)");
  }

  @Test
  void aPhoneForSomeoneOutsideTheTeamAndAnUnroutedTierAreWarnings() {
    String yaml = whole()
        .replace("carol: PLEDGE_PHONE_CAROL}", "carol: PLEDGE_PHONE_CAROL, zed: PLEDGE_PHONE_ZED, maria: PLEDGE_PHONE_MARIA}")
        .replace("    - tier: 3\n      slack: [\"#support\"]\n", "");
    assertThat(warnings(yaml)).extracting(PolicyWarning::toString).containsExactly(
        at(yaml, "routing:") + ": alerts.routing: tier 3 (Bronze) has no route: its alerts post to the page channel"
            + " #ops-urgent only [p4/unrouted-tier]",
        at(yaml, "zed:") + ": alerts.sms.phones.zed: 'zed' is not an engineer of the oncall section; engineers are"
            + " [alice, bob, carol, dev, maria] [p4/unknown-phone]");
  }

  @Test
  void anUptimeDestinationWithoutAWebhookIsAnError() {
    String yaml = whole().replace("alertDestination: \"#ops-urgent\"", "alertDestination: ops");
    failsAt(yaml, "alertDestination: ops", "uptime.alertDestination", "availability alerts go to 'ops', which has"
        + " no webhook in alerts.slack.webhooks [#ops-urgent, #support]: an outage alert would reach nobody (P4)");
    // the default destination is 'ops' too: the error then points at the section
    String defaulted = whole().replace("  alertDestination: \"#ops-urgent\"\n", "");
    failsAt(defaulted, "uptime:", "uptime.alertDestination", "availability alerts go to 'ops', which has"
        + " no webhook in alerts.slack.webhooks [#ops-urgent, #support]: an outage alert would reach nobody (P4)");
  }

  @Test
  void eachRuleRunsOnlyWhenTheSectionsItComparesArePresent() {
    // routing tier 4 with no sla section, an uptime destination with no alerts section
    String alone = SlaPolicies.text("oncall/good.yaml").replace("    - tier: 3\n", "    - tier: 4\n");
    assertThat(load(alone).warnings()).extracting(PolicyWarning::rule).containsExactly("p38/escalation-phone");
    assertThat(warnings("uptime:\n  alertDestination: ops\n")).isEmpty();
  }
}
