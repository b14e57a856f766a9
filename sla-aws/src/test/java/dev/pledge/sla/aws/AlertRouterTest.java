package dev.pledge.sla.aws;

import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertRouting;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.sla.notify.SlackNotifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Secret;

import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.EscalationPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.WeeklyRotation;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End to end: classifier, schedule, router and the real notifiers against stand-ins for Slack and SNS. */
class AlertRouterTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final String OK = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
      + "<MessageId>1</MessageId></PublishResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></PublishResponse>";

  private final StandInServer slackServer = new StandInServer(200, "text/plain", "ok");
  private final StandInServer snsServer = new StandInServer(200, "text/xml", OK);
  private final FakeTime time = new FakeTime(); // Monday 2 Nov 2026 02:00Z, out of hours
  private final SnsSmsNotifier sms = SnsSmsNotifier.builder().region("eu-west-2").endpoint(URI.create(snsServer.url()))
      .credentials("AKIAPLEDGETEST", Secret.ofUtf8("not-a-real-secret-key"))
      .phone("alice", "+447700900123").phone("bob", "+447700900456")
      .policy(DeliveryPolicy.builder().maxAttempts(1).build()).clock(time.clock).sleeper(time).build();
  private final SlackNotifier slack = SlackNotifier.builder()
      .webhook("#ops-urgent", Secret.ofUtf8(slackServer.url() + "/services/T1/B1/urgentToken123"))
      .webhook("#support", Secret.ofUtf8(slackServer.url() + "/services/T1/B2/supportToken456"))
      .clock(time.clock).sleeper(time).build();
  private final List<Engineer> team = List.of(new Engineer("alice", "Alice", true), new Engineer("bob", "Bob", true));
  private final BusinessCalendar office = BusinessCalendar.businessHours(LONDON,
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 30), List.of());
  private final OnCallSchedule schedule = OnCallSchedule.of(team, office, List.of(new WeeklyRotation("ops", LONDON,
      DayOfWeek.MONDAY, LocalTime.of(9, 0), LocalDate.of(2026, 10, 26), List.of("alice", "bob"))), List.of());
  private final AlertRouting routing = new AlertRouting("#ops-urgent", Map.of(
      2, new AlertRouting.Route(false, List.of("#support")),
      3, new AlertRouting.Route(false, List.of("#support"))));
  private final AlertRouter router = AlertRouter.builder(schedule, routing).slack(slack).sms(sms).clock(time.clock).build();
  private final Classifier classifier = Classifier.from(TestPolicies.bundled());

  @AfterEach
  void stop() {
    sms.close();
    slackServer.close();
    snsServer.close();
  }

  private static String smsTo(StandInServer.Received r) {
    return field(r.body(), "PhoneNumber");
  }

  private static String field(String form, String name) {
    for (String pair : form.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Test
  void aGoldReportPagesTheEngineerOnCallBySmsAndSlackAtOnce() {
    Classification c = classifier.classify(Report.of("The shop is down for everyone since 01:50"));
    assertThat(c.tier().rank()).isEqualTo(1);
    AlertRouter.Dispatch d = router.reported("R-17", c, "The shop is down for everyone");
    assertThat(d.paged()).isTrue();
    assertThat(d.engineer().map(Engineer::id)).contains("alice"); // alice's week runs from 26 Oct 09:00 to 2 Nov 09:00
    assertThat(snsServer.received()).singleElement().satisfies(r -> {
      assertThat(smsTo(r)).isEqualTo("+447700900123");
      assertThat(field(r.body(), "Message")).isEqualTo("CRITICAL: Gold report R-17: The shop is down for everyone"
          + " - respond within PT2H; because: outage or downtime");
    });
    assertThat(slackServer.received()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/services/T1/B1/urgentToken123");
      assertThat(r.body()).isEqualTo("{\"text\":\"*CRITICAL: Gold report R-17: The shop is down for everyone*\\n"
          + "respond within PT2H; because: outage or downtime; paging Alice\"}");
    });
    // the same report again within the window pages nobody twice
    router.reported("R-17", c, "The shop is down for everyone");
    assertThat(snsServer.received()).hasSize(1);
    assertThat(slackServer.received()).hasSize(1);
  }

  @Test
  void aSilverReportFollowsTheRoutingToTheSupportChannelOnly() {
    Classification c = classifier.classify(Report.of("Reports have been very slow since yesterday"));
    assertThat(c.tier().rank()).isEqualTo(2);
    AlertRouter.Dispatch d = router.reported("R-18", c, "Slow reports");
    assertThat(d.paged()).isFalse();
    assertThat(d.engineer()).isEmpty();
    assertThat(snsServer.received()).isEmpty();
    assertThat(slackServer.received()).singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/services/T1/B2/supportToken456"));
  }

  @Test
  void aBreachPagesWhateverTheTier() {
    time.clock.set(Instant.parse("2026-11-04T12:00:00Z")); // bob's week
    router.breached("R-19", TestPolicies.bundled().tier(3), Instant.parse("2026-11-04T11:59:00Z"));
    assertThat(snsServer.received()).extracting(AlertRouterTest::smsTo).containsExactly("+447700900456");
    assertThat(slackServer.received()).extracting(StandInServer.Received::path)
        .containsExactly("/services/T1/B1/urgentToken123", "/services/T1/B2/supportToken456");
    assertThat(slackServer.received().get(0).body()).contains("SLA BREACH: Bronze report R-19 not responded to")
        .contains("paging Bob");
  }

  @Test
  void whenNobodyIsOnCallThePageChannelSaysSo() {
    time.clock.set(Instant.parse("2026-10-20T02:00:00Z")); // before the rotation starts
    AlertRouter.Dispatch d = router.reported("R-20", classifier.classify(Report.of("site down")), "site down");
    assertThat(d.engineer()).isEmpty();
    assertThat(snsServer.received()).isEmpty();
    assertThat(slackServer.received()).singleElement()
        .satisfies(r -> assertThat(r.body()).contains("NOBODY IS ON CALL: page by hand"));
  }

  @Test
  void aFailingSmsDoesNotSilenceSlack() {
    snsServer.then(400, "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
        + "<Code>OptedOut</Code><Message>Phone number is opted out</Message></Error><RequestId>3</RequestId></ErrorResponse>");
    AlertRouter.Dispatch d = router.reported("R-21", classifier.classify(Report.of("site down")), "site down");
    assertThat(d.sent()).extracting(AlertRouter.Sent::channel, AlertRouter.Sent::delivered)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sms", false), org.assertj.core.groups.Tuple.tuple("slack", true));
    assertThat(d.sent().get(0).error()).contains("OptedOut");
    assertThat(d.allFailed()).isFalse();
    assertThat(slackServer.received()).hasSize(1);
  }

  @Test
  void theRouterAndEachNotifierTellWhatBecameOfEveryAlert() {
    List<dev.pledge.sla.notify.AlertDelivery> viaRouter = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<dev.pledge.sla.notify.AlertDelivery> viaSms = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<dev.pledge.sla.notify.AlertDelivery> viaSlack = new java.util.concurrent.CopyOnWriteArrayList<>();
    router.onDelivery(viaRouter::add);
    sms.onDelivery(viaSms::add);
    slack.onDelivery(viaSlack::add);
    Classification gold = classifier.classify(Report.of("The shop is down for everyone since 01:50"));

    router.reported("R-17", gold, "The shop is down for everyone"); // alice by SMS, #ops-urgent on Slack
    router.reported("R-17", gold, "The shop is down for everyone"); // a repeat: suppressed by both notifiers
    snsServer.then(400, "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
        + "<Code>OptedOut</Code><Message>Phone number is opted out</Message></Error><RequestId>3</RequestId></ErrorResponse>");
    router.reported("R-18", gold, "The shop is down again"); // SMS refused by SNS; Slack carries it
    // straight to the notifier, for a channel without a webhook: it throws, and the router sees nothing of it
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> slack.send(dev.pledge.core.notify.Alert.of(
        time.clock.instant(), dev.pledge.core.notify.AlertSeverity.INFO, "deploy done", "").to("#nowhere")))
        .isInstanceOf(dev.pledge.core.notify.NotificationException.class);

    assertThat(viaRouter).extracting(d -> d.channel() + " " + d.destination() + " " + d.outcome()).containsExactly(
        "sms alice SENT", "slack #ops-urgent SENT",
        "sms alice SUPPRESSED", "slack #ops-urgent SUPPRESSED",
        "sms alice FAILED", "slack #ops-urgent SENT");
    assertThat(viaRouter.get(4).detail()).contains("OptedOut");
    assertThat(viaRouter).allSatisfy(d -> assertThat(d.occurredAt()).isEqualTo(time.clock.instant()));
    assertThat(viaSms).extracting(dev.pledge.sla.notify.AlertDelivery::outcome).containsExactly(
        dev.pledge.sla.notify.AlertDelivery.Outcome.SENT, dev.pledge.sla.notify.AlertDelivery.Outcome.SUPPRESSED,
        dev.pledge.sla.notify.AlertDelivery.Outcome.FAILED);
    assertThat(viaSlack).extracting(d -> d.destination() + " " + d.outcome()).containsExactly(
        "#ops-urgent SENT", "#ops-urgent SUPPRESSED", "#ops-urgent SENT", "#nowhere FAILED");
    assertThat(viaSlack).extracting(dev.pledge.sla.notify.AlertDelivery::dedupKey)
        .startsWith("report:R-17:tier:1");
    assertThat(viaSlack.get(3).detail()).contains("no webhook for destination '#nowhere'").doesNotContain("Token");
    assertThat(slack.sent()).isEqualTo(2);
    assertThat(slack.suppressed()).isEqualTo(1);
    assertThat(slack.failed()).isEqualTo(1);
  }

  @Test
  void anUnacknowledgedPageEscalatesToTheNextPersonThenTheManager() {
    EscalationPolicy chain = new EscalationPolicy(java.time.Duration.ofMinutes(15), List.of("bob", "carol"));
    Instant raised = time.clock.instant();
    router.reported("R-22", classifier.classify(Report.of("site down")), "site down");
    assertThat(snsServer.received()).extracting(AlertRouterTest::smsTo).containsExactly("+447700900123");
    time.clock.advance(java.time.Duration.ofMinutes(10));
    AlertRouter.Escalation e = router.escalate("R-22", raised, null, chain);
    assertThat(e.steps()).extracting(EscalationPolicy.Step::to).containsExactly("alice");
    assertThat(e.sent()).isEmpty();
    time.clock.advance(java.time.Duration.ofMinutes(5));
    e = router.escalate("R-22", raised, null, chain);
    assertThat(e.steps()).extracting(EscalationPolicy.Step::to).containsExactly("alice", "bob");
    assertThat(snsServer.received()).extracting(AlertRouterTest::smsTo).containsExactly("+447700900123", "+447700900456");
    assertThat(field(snsServer.received().get(1).body(), "Message"))
        .isEqualTo("CRITICAL: ESCALATED: report R-22 unacknowledged since 2026-11-02T02:00:00Z - level 1: paging bob");
    router.escalate("R-22", raised, null, chain); // called again a moment later: bob is not paged twice
    assertThat(snsServer.received()).hasSize(2);
    time.clock.advance(java.time.Duration.ofMinutes(15));
    e = router.escalate("R-22", raised, null, chain);
    assertThat(e.sent()).extracting(AlertRouter.Sent::channel, AlertRouter.Sent::destination, AlertRouter.Sent::delivered)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sms", "carol", false),
            org.assertj.core.groups.Tuple.tuple("slack", "#ops-urgent", true));
    // carol has no number: her step fails visibly and the page channel still carries it
    assertThat(sms.suppressed()).isEqualTo(1); // bob's repeat
    // once acknowledged, nothing more is sent
    int before = slackServer.received().size();
    e = router.escalate("R-22", raised, raised.plus(java.time.Duration.ofMinutes(29)), chain);
    assertThat(e.sent()).isEmpty();
    assertThat(e.steps()).extracting(EscalationPolicy.Step::to).containsExactly("alice", "bob");
    assertThat(slackServer.received()).hasSize(before);
  }
}
