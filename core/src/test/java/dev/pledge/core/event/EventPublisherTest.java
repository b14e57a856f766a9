package dev.pledge.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
  record Ping(Instant occurredAt, int n) implements PledgeEvent {}

  @Test
  void aFailingListenerBreaksNeitherThePublisherNorTheOthers() throws Exception {
    EventPublisher<Ping> publisher = EventPublisher.create();
    List<Integer> seen = new ArrayList<>();
    publisher.subscribe(e -> { throw new IllegalStateException("boom"); });
    AutoCloseable handle = publisher.subscribe(e -> seen.add(e.n()));

    publisher.publish(new Ping(Instant.EPOCH, 1));
    publisher.publish(new Ping(Instant.EPOCH, 2));

    assertThat(seen).containsExactly(1, 2);
    assertThat(publisher.listenerFailures()).isEqualTo(2);

    handle.close();
    publisher.publish(new Ping(Instant.EPOCH, 3));
    assertThat(seen).containsExactly(1, 2);
  }

  @Test
  void reportsWhetherAnyoneListens() {
    EventPublisher<Ping> publisher = EventPublisher.create();
    assertThat(publisher.hasListeners()).isFalse();
    publisher.subscribe(e -> { });
    assertThat(publisher.hasListeners()).isTrue();
  }

  @Test
  void aSubscriptionClosesWithoutACheckedExceptionAndTwiceIsHarmless() {
    EventPublisher<Ping> publisher = EventPublisher.create();
    List<Integer> seen = new ArrayList<>();
    // no throws clause and no catch: Subscription.close() declares nothing
    try (Subscription s = publisher.subscribe(e -> seen.add(e.n()))) {
      publisher.publish(new Ping(Instant.EPOCH, 1));
      s.close();
    }
    publisher.publish(new Ping(Instant.EPOCH, 2));
    assertThat(seen).containsExactly(1);
    assertThat(publisher.hasListeners()).isFalse();
  }
}
