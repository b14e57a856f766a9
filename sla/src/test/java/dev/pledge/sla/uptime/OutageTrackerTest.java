package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutageTrackerTest {
  private static Instant t(String hm) {
    return Instant.parse("2026-11-10T" + hm + ":00Z");
  }

  @Test
  void anOutageRunsFromTheFirstFailureToTheNextSuccess() {
    OutageTracker tr = OutageTracker.create();
    tr.record(t("10:00"), true);
    tr.record(t("10:01"), false);
    tr.record(t("10:02"), false);
    tr.record(t("10:03"), true);
    tr.record(t("10:04"), false);
    assertThat(tr.outages()).containsExactly(Outage.of(t("10:01"), t("10:03")));
    assertThat(tr.down()).isTrue();
    assertThat(tr.outages(t("10:10"))).containsExactly(Outage.of(t("10:01"), t("10:03")), Outage.of(t("10:04"), t("10:10")));
  }

  @Test
  void resultsOutOfOrderAreRefused() {
    OutageTracker tr = OutageTracker.create();
    tr.record(t("10:05"), true);
    assertThatThrownBy(() -> tr.record(t("10:04"), true)).hasMessageContaining("time order");
  }
}
