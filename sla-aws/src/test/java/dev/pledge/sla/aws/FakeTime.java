package dev.pledge.sla.aws;

import dev.pledge.core.time.Sleeper;

import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A fake clock with a sleeper that advances it instead of waiting, and remembers every wait. */
final class FakeTime implements Sleeper {
  final MutableClock clock = MutableClock.at("2026-11-02T02:00:00Z");
  private final List<Duration> waits = new ArrayList<>();

  @Override
  public synchronized void sleep(Duration d) {
    waits.add(d);
    clock.advance(d);
  }

  synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }
}
