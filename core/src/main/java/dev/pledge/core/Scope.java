package dev.pledge.core;

import java.util.Objects;

/**
 * A site in one environment: the unit that backups, uptime and audit records are grouped by (P6).
 * Immutable.
 *
 * @param site the site
 * @param environment the environment
 */
public record Scope(SiteId site, Environment environment) implements Comparable<Scope> {

  /** Validates that neither part is null. */
  public Scope {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(environment, "environment");
  }

  /** Returns the scope of {@code site} in {@code environment}. */
  public static Scope of(String site, String environment) {
    return new Scope(SiteId.of(site), Environment.of(environment));
  }

  @Override
  public int compareTo(Scope other) {
    int c = site.compareTo(other.site);
    return c != 0 ? c : environment.compareTo(other.environment);
  }

  /** {@code site/environment}, the form used in object keys and reports. */
  @Override
  public String toString() {
    return site + "/" + environment;
  }
}
