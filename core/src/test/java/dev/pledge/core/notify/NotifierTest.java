package dev.pledge.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifierTest {

  @Test
  void fanOutDeliversThroughTheChannelsThatWork() {
    RecordingNotifier ok = Notifier.recording();
    Notifier broken = a -> { throw new NotificationException("down"); };
    Alert alert = Alert.of(Instant.EPOCH, AlertSeverity.CRITICAL, "shop is DOWN", "since 06:30");

    Notifier.all(List.of(broken, ok)).send(alert);

    assertThat(ok.alerts()).containsExactly(alert);
  }

  @Test
  void fanOutFailsOnlyWhenEveryChannelFailed() {
    Notifier broken = a -> { throw new IllegalStateException("down"); };
    assertThatThrownBy(() -> Notifier.all(List.of(broken, broken))
        .send(Alert.of(Instant.EPOCH, AlertSeverity.INFO, "t", "b")))
        .isInstanceOf(NotificationException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }

  @Test
  void alertDefaultsItsRoutingAndDedupKey() {
    Alert a = Alert.of(Instant.EPOCH, AlertSeverity.WARNING, "title", null);
    assertThat(a.destination()).isEqualTo("default");
    assertThat(a.dedupKey()).isEqualTo("title");
    assertThat(a.to("on-call").destination()).isEqualTo("on-call");
  }
}
