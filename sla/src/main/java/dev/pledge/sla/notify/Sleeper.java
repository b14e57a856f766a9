package dev.pledge.sla.notify;

/**
 * The notifiers' former sleeper.
 *
 * @deprecated use {@link dev.pledge.core.time.Sleeper}, the one sleeper of every module, which the
 *     notifier builders take; this type extends it, so existing sleepers still fit.
 */
@Deprecated(since = "0.2.0")
@FunctionalInterface
public interface Sleeper extends dev.pledge.core.time.Sleeper {

  /**
   * A sleeper that blocks the calling thread.
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    dev.pledge.core.time.Sleeper system = dev.pledge.core.time.Sleeper.system();
    return system::sleep;
  }
}
