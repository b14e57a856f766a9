package dev.pledge.security.breach;

/**
 * Carries out one step of the breach protocol in the host application: e-mail every customer,
 * rotate the API keys, call {@code forceReset} on the password store, rotate IAM keys. In a drill
 * ({@link BreachIncident#drill()}), an action rehearses: it proves it could act (lists the
 * customers, checks it may rotate) without acting.
 */
@FunctionalInterface
public interface BreachAction {

  /**
   * Performs the step for {@code incident} and says what was done, such as
   * {@code "notified 412 customers"}. Throwing marks the step failed, with the exception's message.
   */
  String perform(BreachIncident incident) throws Exception;
}
