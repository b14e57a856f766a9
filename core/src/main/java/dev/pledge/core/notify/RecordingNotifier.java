package dev.pledge.core.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link Notifier} that keeps every alert in memory. Thread-safe. */
public final class RecordingNotifier implements Notifier {
  private final List<Alert> alerts = new ArrayList<>();

  RecordingNotifier() {}

  @Override
  public synchronized void send(Alert alert) {
    alerts.add(Objects.requireNonNull(alert, "alert"));
  }

  /** The alerts sent so far, oldest first. */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts);
  }

  /** Forgets the alerts sent so far. */
  public synchronized void clear() {
    alerts.clear();
  }
}
