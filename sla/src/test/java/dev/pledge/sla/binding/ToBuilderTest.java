package dev.pledge.sla.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Percentage;
import dev.pledge.core.Secret;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.SlaPolicies;
import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertRouting;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.sla.notify.SlackNotifier;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.WeeklyRotation;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Rule;
import dev.pledge.sla.severity.SeverityClassifier;
import dev.pledge.sla.uptime.BurnRateAlerts;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.sla.uptime.UptimeStore;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: every config builder of the module has {@code toBuilder()}, and builder, build,
 * {@code toBuilder()}, build gives the same configuration. Each builder sets non-default values, so a
 * setting that {@code toBuilder()} forgot would come back as its default and fail the comparison.
 */
class ToBuilderTest {
  private static final MutableClock CLOCK = MutableClock.at("2026-11-02T09:00:00Z");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Notifier SLACK = Notifier.recording();
  private static final Notifier SMS = Notifier.recording();
  private static final SeverityClassifier SUGGESTER = report -> Optional.empty();

  private static OnCallSchedule schedule() {
    List<Engineer> team = List.of(new Engineer("alice", "Alice", true), new Engineer("bob", "Bob", true));
    BusinessCalendar office = BusinessCalendar.businessHours(LONDON, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        LocalTime.of(9, 0), LocalTime.of(17, 30), List.of());
    return OnCallSchedule.of(team, office, List.of(new WeeklyRotation("ops", LONDON, DayOfWeek.MONDAY,
        LocalTime.of(9, 0), LocalDate.of(2026, 10, 26), List.of("alice", "bob"))), List.of());
  }

  static Stream<Arguments> builders() {
    OnCallSchedule schedule = schedule();
    AlertRouting routing = new AlertRouting("#ops-urgent", Map.of(2, new AlertRouting.Route(false, List.of("#support"))));
    UptimePolicy uptime = new UptimePolicy(Percentage.parse("99.95%"), null, null, null, true, "pager");
    return Stream.of(
        of("Classifier", () -> Classifier.builder(SlaPolicies.bundled()).suggester(SUGGESTER, 0.6)),
        of("Rule", () -> Rule.builder("checkout", "outage").keywords("down").phrases("cannot pay")
            .patterns("5\\d\\d").when("affectedUsers", ">= 10")),
        of("UptimeMonitor", () -> UptimeMonitor.builder().clock(CLOCK).store(UptimeStore.inMemory()).notifier(SLACK).destination("#ops")
            .probe(ProbeSpec.of(SiteId.of("shop"), URI.create("https://shop.example.com/health")),
                () -> HealthCheck.Result.up("200"))),
        of("AlertRouter", () -> AlertRouter.builder(schedule, routing).slack(SLACK).sms(SMS).clock(CLOCK)
            .environment(name -> null)),
        of("SlackNotifier", () -> SlackNotifier.builder()
            .webhook("#ops", Secret.ofUtf8("https://hooks.example.com/services/T1/B1/token"))
            .policy(DeliveryPolicy.builder().maxAttempts(1).build()).clock(CLOCK)),
        of("BurnRateAlerts", () -> BurnRateAlerts.builder(uptime).notifier(SLACK).period(Duration.ofDays(31))));
  }

  private static Arguments of(String name, Supplier<Object> builder) {
    return Arguments.of(name, builder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void builderBuildToBuilderBuildKeepsEverySetting(String name, Supplier<Object> builder) throws Exception {
    Object given = builder.get();
    Object copy = call(call(given, "build"), "toBuilder");
    assertThat(copy).as(name).usingRecursiveComparison().ignoringExpectedNullFields().ignoringFields("given")
        .isEqualTo(given);
    Object again = call(call(copy, "build"), "toBuilder");
    // "given" is AlertRouter's record of the settings before build() made notifiers from a section
    assertThat(again).as(name).usingRecursiveComparison().ignoringFields("given").isEqualTo(copy);
  }

  static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }
}
