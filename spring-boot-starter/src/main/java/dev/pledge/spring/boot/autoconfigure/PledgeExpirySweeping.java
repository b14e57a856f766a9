package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.security.access.ExpirySweeper;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an {@link ExpirySweeper} while the application context runs (P15, P17): {@link #start()}
 * starts it on a scheduler thread of its own (a daemon named {@code pledge-access-expiry}), so that
 * sweeps never run on a request or start-up thread; {@link #stop()}, called when the context stops or
 * closes, stops the sweeper (a sweep under way finishes) and ends the thread. The context may start it
 * again. Thread-safe.
 */
public final class PledgeExpirySweeping implements SmartLifecycle {
  private final ExpirySweeper sweeper;
  private ScheduledExecutorService scheduler;

  /** Runs {@code sweeper} while the context runs. */
  public PledgeExpirySweeping(ExpirySweeper sweeper) {
    this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
  }

  /** The sweeper it runs. */
  public ExpirySweeper sweeper() {
    return sweeper;
  }

  /** Starts sweeping, the first attempt at once; does nothing when it is running. */
  @Override
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pledge-access-expiry");
      t.setDaemon(true);
      return t;
    });
    try {
      sweeper.start(s);
    } catch (RuntimeException e) {
      s.shutdownNow();
      throw e;
    }
    scheduler = s;
  }

  /** Stops sweeping and ends the scheduler thread once a sweep under way finishes. */
  @Override
  public synchronized void stop() {
    if (scheduler == null) {
      return;
    }
    sweeper.close();
    scheduler.shutdown();
    scheduler = null;
  }

  /** Whether the sweeper runs. */
  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  @Override
  public String toString() {
    return "PledgeExpirySweeping[" + sweeper + (isRunning() ? ", running" : ", stopped") + "]";
  }
}
