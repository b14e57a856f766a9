package dev.pledge.core.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: it keeps what was scheduled, with its
 * delay, until the test runs it with {@link #runAll()}. No thread, no time passing. One-shot
 * {@code schedule(Runnable, ...)} and {@code execute} only.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  /** One scheduled task. */
  static final class Task implements ScheduledFuture<Object> {
    final Runnable run;
    final Duration delay;
    volatile boolean cancelled;
    volatile boolean done;

    Task(Runnable run, Duration delay) {
      this.run = run;
      this.delay = delay;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return !done;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }

  private final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  /** The tasks scheduled and neither run nor cancelled, oldest first. */
  synchronized List<Task> pending() {
    return tasks.stream().filter(t -> !t.isDone()).toList();
  }

  /** Runs every pending task once, in the calling thread; returns how many ran. */
  int runAll() {
    List<Task> due = pending();
    for (Task t : due) {
      t.done = true;
      t.run.run();
    }
    return due.size();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task t = new Task(command, Duration.ofNanos(unit.toNanos(delay)));
    tasks.add(t);
    return t;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return isShutdown();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }
}
