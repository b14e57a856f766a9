package dev.pledge.core.event;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to registered listeners with listener isolation: an exception thrown by one
 * listener is logged (type and message only) and counted, and the other listeners and the
 * publishing component carry on.
 *
 * <p>Thread-safe. Registration is copy-on-write, so {@link #publish} takes no lock and, when there
 * is no listener, costs one volatile read: publishers may call {@link #hasListeners()} to avoid even
 * building the event.
 *
 * @param <E> the event type
 */
public final class EventPublisher<E extends PledgeEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final List<EventListener<? super E>> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder listenerFailures = new LongAdder();

  private EventPublisher() {}

  /** A publisher with no listener. */
  public static <E extends PledgeEvent> EventPublisher<E> create() {
    return new EventPublisher<>();
  }

  /**
   * Registers a listener.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public Subscription subscribe(EventListener<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Whether any listener is registered. */
  public boolean hasListeners() {
    return !listeners.isEmpty();
  }

  /** Delivers {@code event} to every listener, isolating each from the others' failures. */
  public void publish(E event) {
    Objects.requireNonNull(event, "event");
    for (EventListener<? super E> listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError) {
          throw (VirtualMachineError) e;
        }
        listenerFailures.increment();
        LOG.warn("event listener {} failed on {}: {}", listener.getClass().getName(),
            event.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** How many times a listener has thrown since this publisher was created. */
  public long listenerFailures() {
    return listenerFailures.sum();
  }
}
