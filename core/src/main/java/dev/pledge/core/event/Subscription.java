package dev.pledge.core.event;

/**
 * A listener's registration, returned by every {@code on...} and {@code subscribe} method. Closing it
 * removes the listener; it throws nothing, so it needs no {@code try}/{@code catch} and fits
 * try-with-resources without a checked exception. Closing twice is harmless.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Removes the listener; later events are not delivered to it. Throws nothing. */
  @Override
  void close();
}
