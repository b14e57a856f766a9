package dev.pledge.examples.cli;

import dev.pledge.core.Environment;
import dev.pledge.core.SiteId;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code --site} and {@code --env} against the policy's {@code organisation} section, so a typo
 * ({@code --site shoop}) is bad input naming what the policy holds, never a backup or report for a
 * site that does not exist.
 */
final class PolicyScopes {
  private PolicyScopes() {}

  /**
   * The site {@code given} names: it must be one of the policy's; when null, the policy's only site,
   * else bad input listing them.
   */
  static SiteId site(PolicyDocument doc, String given) {
    List<OrganisationPolicy.Site> sites = doc.section(OrganisationPolicy.class).map(OrganisationPolicy::sites)
        .orElse(List.of());
    List<String> names = sites.stream().map(s -> s.id().value()).toList();
    if (given == null) {
      if (names.size() == 1) {
        return sites.get(0).id();
      }
      throw CliException.badInput("--site is required: " + (names.isEmpty() ? "the policy names no sites"
          : "the policy's sites are " + String.join(", ", names)));
    }
    SiteId id;
    try {
      id = SiteId.of(given);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--site: " + e.getMessage());
    }
    if (!names.isEmpty() && !names.contains(id.value())) {
      throw CliException.badInput("--site: '" + given + "' is not a site of the policy (its sites: "
          + String.join(", ", names) + ")" + suggestion(given, names));
    }
    return id;
  }

  /** The environment {@code given} names, which must be one of {@code site}'s in the policy. */
  static Environment environment(PolicyDocument doc, SiteId site, String given) {
    Environment env;
    try {
      env = Environment.of(given);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--env: " + e.getMessage());
    }
    List<String> envs = doc.section(OrganisationPolicy.class).flatMap(o -> o.site(site))
        .map(s -> s.environments().stream().map(Environment::name).toList()).orElse(List.of());
    if (!envs.isEmpty() && !envs.contains(env.name())) {
      throw CliException.badInput("--env: '" + given + "' is not an environment of site " + site.value()
          + " in the policy (its environments: " + String.join(", ", envs) + ")" + suggestion(given, envs));
    }
    return env;
  }

  /** {@code "; did you mean 'x'?"} for the closest candidate within two edits or sharing a prefix, or "". */
  static String suggestion(String given, List<String> candidates) {
    String g = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(g, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best != null && (bestDistance <= 2 || g.length() >= 3 && best.toLowerCase(Locale.ROOT).startsWith(g))) {
      return "; did you mean '" + best + "'?";
    }
    for (String c : candidates) {
      if (g.length() >= 3 && c.toLowerCase(Locale.ROOT).startsWith(g)) {
        return "; did you mean '" + c + "'?";
      }
    }
    return "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
