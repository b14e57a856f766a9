package dev.pledge.examples.tour;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.SiteId;
import dev.pledge.core.Secret;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.notify.SlackNotifier;
import dev.pledge.core.time.Sleeper;
import dev.pledge.sla.aws.SnsSmsNotifier;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.Triage;
import dev.pledge.sla.oncall.TriageEvent;
import dev.pledge.sla.oncall.WeeklyRotation;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.sla.uptime.UptimeStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Alerts, triage and on-call on the policy's {@code oncall} and {@code alerts} sections (P4, P33,
 * P38). The Slack and SNS notifiers deliver for real, over HTTP, to stand-ins for Slack and SNS that
 * this step runs on the loopback interface for the length of the step, and the step counts what
 * they received.
 */
final class AlertsStep implements TourStep {

  /** One request a stand-in received. */
  private record Received(String service, String path, String body) {}

  @Override
  public List<Integer> promises() {
    return List.of(4, 33, 38);
  }

  @Override
  public String tag() {
    return "alerts";
  }

  @Override
  public void run(TourContext ctx) throws Exception {
    OnCallPolicy oncall = ctx.policy().require(OnCallPolicy.class);
    AlertsPolicy alerts = ctx.policy().require(AlertsPolicy.class);
    SlaPolicy sla = ctx.policy().require(SlaPolicy.class);
    UptimePolicy uptime = ctx.policy().require(UptimePolicy.class);

    // P38: the rotation covers every out-of-hours minute of the coming weeks with operations engineers only.
    OnCallSchedule schedule = OnCallSchedule.from(oncall);
    Instant now = ctx.start();
    oncall.validate(now);
    Refusal refused = refusedWithDeveloper(oncall);
    List<WeeklyRotation.Handoff> handoffs = schedule.nextHandoffs(now, 2);
    ctx.say(tag(), "on call now: " + schedule.onCall(now).map(Engineer::name).orElse("nobody") + "; next handoffs "
        + handoffs.stream().map(AlertsStep::handoff).toList()
        + "; the next " + oncall.coverWeeks() + " weeks covered out of hours by operations engineers only; a rotation with"
        + " developer " + (refused == null ? "" : refused.developer() + " ") + "refused: " + (refused != null) + " (P38)");
    // Judged at once, so a later failure in this step cannot hide what was measured here.
    ctx.report().judged(38, refused != null, "weekly rotation with " + schedule.nextHandoffs(now, 1).size()
            + " handoff a week; only operations engineers out of hours; the next " + oncall.coverWeeks() + " weeks covered",
        "a rotation with a developer out of hours was accepted",
        TourContext.evidence("on call now", schedule.onCall(now).map(Engineer::name).orElse("nobody"),
            "next handoffs", String.join(", ", handoffs.stream().map(AlertsStep::handoff).toList()),
            "developer on the rotation", refused == null ? "ACCEPTED" : "refused: " + refused.message()));

    List<Received> received = new ArrayList<>();
    HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    standIn.createContext("/", exchange -> answer(exchange, received));
    standIn.start();
    try {
      String base = "http://127.0.0.1:" + standIn.getAddress().getPort();
      // The environment the policy names its secrets by, pointing at the stand-ins.
      SlackNotifier slack = alerts.slackNotifier(name -> switch (name) {
        case "PLEDGE_SLACK_URGENT_WEBHOOK" -> base + "/slack/T0TOUR/B0URGENT/tour-token-urgent";
        case "PLEDGE_SLACK_SUPPORT_WEBHOOK" -> base + "/slack/T0TOUR/B0SUPPORT/tour-token-support";
        default -> null;
      }, ctx.clock(), Sleeper.system());
      SnsSmsNotifier.Builder smsBuilder = SnsSmsNotifier.builder().region("eu-west-2").endpoint(URI.create(base + "/sns"))
          .credentials("AKIATOURSTANDIN", Secret.ofUtf8("tour-secret-key")).senderId("Pledge")
          .policy(alerts.toDeliveryPolicy()).clock(ctx.clock()).sleeper(Sleeper.system());
      // A phone book of the policy's own engineers (numbers from Ofcom's drama range), whoever they are.
      List<String> phones = new ArrayList<>();
      for (int i = 0; i < oncall.engineers().size(); i++) {
        String number = "+4477009%05d".formatted(100 + i);
        smsBuilder.phone(oncall.engineers().get(i).id(), number);
        phones.add(number);
      }
      SnsSmsNotifier sms = smsBuilder.build();
      try (sms) {
        AlertRouter router = AlertRouter.builder(schedule, alerts.toRouting()).slack(slack).sms(sms).clock(ctx.clock()).build();

        // P4: the load balancer's health check of the shop fails; after 3 failed checks the team hears of it on Slack.
        ProbeSpec shopProbe = uptime.probes().stream().filter(p -> p.site().equals(SiteId.of("shop"))).findFirst().orElseThrow();
        AtomicBoolean shopUp = new AtomicBoolean(true);
        Instant outage = saturdayNight(now);
        ctx.clock().set(outage);
        UptimeMonitor monitor = UptimeMonitor.builder().clock(ctx.clock()).store(UptimeStore.inMemory()).notifier(slack)
            .destination(alerts.pageChannel()).build()
            .add(shopProbe, () -> shopUp.get() ? HealthCheck.Result.up("200") : HealthCheck.Result.down("status 503, expected 200"));
        int stateChanges = 0;
        for (int minute = 0; minute < 15; minute++) {
          shopUp.set(minute < 2 || minute >= 9);
          stateChanges += monitor.runDue().size();
          ctx.clock().advance(shopProbe.interval());
        }
        long slackAvailability = received.stream().filter(r -> r.service().equals("slack") && r.body().contains("shop is")).count();

        // P33/P4: a Gold report out of hours is triaged to the engineer on call and pages them by SMS at once.
        Classifier classifier = Classifier.from(sla);
        Instant reported = ctx.clock().instant();
        Classification gold = classifier.classify(Report.of("Checkout is down for every customer, 503 on the payment page"));
        AlertRouter.Dispatch page = router.reported("R-301", gold, "Checkout is down for every customer");
        Triage triage = Triage.start("R-301", gold, schedule, "support-queue", reported);
        Classification silver = classifier.classify(Report.of("Search results load slowly, about 12 seconds"));
        AlertRouter.Dispatch notice = router.reported("R-302", silver, "Search results load slowly");
        // R-302 is handed on by whoever got it to another operations engineer of the policy (never a fixed
        // name: the person on call changes every week), who then finds it is an outage.
        Triage first = Triage.start("R-302", silver, schedule, "support-queue", reported);
        String holder = first.assignee().map(TriageEvent.Assignee::id).orElse("support-queue");
        String colleague = oncall.engineers().stream()
            .filter(m -> m.role() == OnCallPolicy.Role.OPERATIONS && !m.id().equals(holder))
            .map(OnCallPolicy.Member::id).findFirst()
            .orElseThrow(() -> new IllegalStateException("the oncall section names no operations engineer other than "
                + holder + " to hand a report on to"));
        Triage second = first
            .reassign(reported.plus(Duration.ofMinutes(20)), TriageEvent.Assignee.engineer(colleague), holder,
                colleague + " knows search")
            .reclassify(reported.plus(Duration.ofMinutes(30)), 1, colleague, "checkout also times out: an outage");
        long smsSent = received.stream().filter(r -> r.service().equals("sns")).count();
        String onCallThen = schedule.onCall(reported).map(Engineer::id).orElse("nobody");
        int onCallIndex = oncall.engineers().stream().map(OnCallPolicy.Member::id).toList().indexOf(onCallThen);
        boolean smsToOnCall = onCallIndex >= 0 && received.stream().filter(r -> r.service().equals("sns"))
            .anyMatch(r -> r.body().contains("PhoneNumber=" + phones.get(onCallIndex)));

        ctx.say(tag(), "the shop's load-balancer health check failed from "
            + outage.plus(Duration.ofMinutes(2)).atZone(ZoneId.of("Europe/London")).toLocalTime()
            + " on a Saturday night: " + stateChanges + " state changes, " + slackAvailability
            + " posts to Slack " + alerts.pageChannel() + " (down, then up), delivered over HTTP to a local Slack stand-in (P4)");
        ctx.say(tag(), "Gold report R-301 out of hours: assigned to " + triage.assignee().map(TriageEvent.Assignee::id).orElse("?")
            + " (on call), paged by SMS through SNS: " + page.paged() + " (" + smsSent + " SMS); Silver R-302 posted to "
            + notice.sent().stream().map(AlertRouter.Sent::destination).distinct().toList() + " only, then reassigned and"
            + " reclassified Gold, history of " + second.history().size() + " events kept (P4, P33)");

        boolean p4 = slackAvailability == 2 && page.paged() && smsToOnCall && !page.allFailed();
        ctx.report().judged(4, p4, "a failed load-balancer health check reached Slack " + alerts.pageChannel()
                + " and a Gold report paged the on-call engineer by SMS (Amazon SNS), both delivered over HTTP",
            "an availability alert or page did not go out",
            TourContext.evidence("health-check alerts to Slack", String.valueOf(slackAvailability),
                "SMS pages through SNS", String.valueOf(smsSent),
                "delivery", delivery(alerts.toDeliveryPolicy()),
                "this run", "local stand-ins for Slack and SNS on 127.0.0.1 (the notifiers are the production ones)"));
        boolean p33 = triage.assignee().filter(a -> !a.queue() && a.id().equals(onCallThen)).isPresent()
            && second.rank() == 1 && second.history().size() == 4;
        ctx.report().judged(33, p33, "every report is classified and assigned to the operations engineer on call;"
                + " reassignment and reclassification keep the history",
            "a report was not assigned to an operations engineer",
            TourContext.evidence("R-301", gold.tier().displayName() + ", assigned to " + onCallThen,
                "R-302 history", second.history().stream().map(e -> e.getClass().getSimpleName()).toList().toString()));
      }
    } finally {
      standIn.stop(0);
    }
  }

  /** What the eligibility check said of a rotation with a developer on it. */
  private record Refusal(String developer, String message) {}

  /**
   * The policy's own on-call section with a developer (one of its engineers, or one added) put on the
   * first rotation in place of an operations engineer: building it must fail, since only operations
   * engineers may cover out of hours (P38). Null when it was accepted.
   */
  private static Refusal refusedWithDeveloper(OnCallPolicy oncall) {
    List<OnCallPolicy.Member> engineers = new ArrayList<>(oncall.engineers());
    OnCallPolicy.Member developer = engineers.stream().filter(m -> m.role() == OnCallPolicy.Role.DEVELOPER).findFirst()
        .orElseGet(() -> {
          OnCallPolicy.Member added = new OnCallPolicy.Member("tour-developer", "a developer", OnCallPolicy.Role.DEVELOPER);
          engineers.add(added);
          return added;
        });
    List<OnCallPolicy.Rotation> rotations = new ArrayList<>(oncall.rotations());
    OnCallPolicy.Rotation first = rotations.get(0);
    List<String> members = new ArrayList<>(first.members());
    members.set(members.size() > 1 ? 1 : 0, developer.id());
    rotations.set(0, new OnCallPolicy.Rotation(first.name(), first.zone(), first.handoff(), first.startsOn(), members));
    try {
      new OnCallPolicy(oncall.officeHours(), oncall.coverWeeks(), engineers, rotations, oncall.overrides(), oncall.escalation());
      return null;
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      return new Refusal(developer.name() == null ? developer.id() : developer.name(),
          m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }
  }

  /** The delivery settings as people write them: {@code 3 attempts, 5 s timeout, backoff 500 ms doubling}. */
  private static String delivery(dev.pledge.sla.notify.DeliveryPolicy d) {
    return d.maxAttempts() + " attempts, " + TourContext.human(d.timeout()) + " timeout, backoff "
        + TourContext.human(d.initialBackoff()) + " times " + d.backoffMultiplier();
  }

  /** A handoff as people write it: {@code MON 2026-12-07T09:00:00Z carol->alice}. */
  private static String handoff(WeeklyRotation.Handoff h) {
    return h.at().atZone(ZoneId.of("Europe/London")).getDayOfWeek().toString().substring(0, 3) + " " + h.at() + " "
        + h.from() + "->" + h.to();
  }

  /** 02:00 London on the Saturday before {@code now}: out of hours. */
  private static Instant saturdayNight(Instant now) {
    ZonedDateTime london = now.atZone(ZoneId.of("Europe/London"));
    return london.with(TemporalAdjusters.previous(DayOfWeek.SATURDAY)).with(LocalTime.of(2, 0)).toInstant();
  }

  private static void answer(HttpExchange exchange, List<Received> received) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
        StandardCharsets.UTF_8);
    boolean slack = path.startsWith("/slack/");
    synchronized (received) {
      received.add(new Received(slack ? "slack" : "sns", path, body));
    }
    byte[] reply = (slack ? "ok" : """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult><MessageId>tour-%d</MessageId></PublishResult>
          <ResponseMetadata><RequestId>tour-request</RequestId></ResponseMetadata>
        </PublishResponse>""".formatted(received.size())).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", slack ? "text/plain" : "text/xml");
    exchange.sendResponseHeaders(200, reply.length);
    exchange.getResponseBody().write(reply);
    exchange.close();
  }
}
