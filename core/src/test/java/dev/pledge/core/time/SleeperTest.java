package dev.pledge.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SleeperTest {

  @Test
  void theSystemSleeperHonoursAnEarlierInterruptionWithoutWaiting() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Sleeper.system().sleep(Duration.ofDays(365 * 1000L)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("the flag is consumed by the exception").isFalse();
  }

  @Test
  void zeroAndNegativeDurationsReturnAtOnce() throws InterruptedException {
    Sleeper.system().sleep(Duration.ZERO);
    Sleeper.system().sleep(Duration.ofSeconds(-5));
  }

  @Test
  void aTestSleeperIsALambdaThatRecordsTheWaits() throws InterruptedException {
    List<Duration> waits = new ArrayList<>();
    Sleeper recording = waits::add;
    recording.sleep(Duration.ofMillis(1500));
    assertThat(waits).containsExactly(Duration.ofMillis(1500));
  }
}
