package dev.pledge.sla.uptime;

/** Whether a site is up or down according to its health checks (P4). */
public enum SiteState {
  /** Answering as expected. */
  UP,
  /** Failed the configured number of consecutive checks. */
  DOWN
}
