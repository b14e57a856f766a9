package dev.pledge.sla.notify;

import java.time.Duration;

/**
 * Waits between retries. The default really sleeps; tests pass one that records the waits and
 * advances a fake clock, so no test waits for a backoff to pass.
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits for {@code duration}, or throws when interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /** A sleeper that blocks the calling thread. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }
}
