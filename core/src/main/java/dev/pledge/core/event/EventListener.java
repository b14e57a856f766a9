package dev.pledge.core.event;

/**
 * Receives events of type {@code E}. Listeners run on the publisher's thread: keep them short, and
 * hand slow work to an executor. A listener that throws never breaks the component that published
 * the event (see {@link EventPublisher}).
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventListener<E extends PledgeEvent> {

  /** Handles one event. */
  void onEvent(E event);
}
