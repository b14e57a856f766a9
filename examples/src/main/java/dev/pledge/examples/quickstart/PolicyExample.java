package dev.pledge.examples.quickstart;

import dev.pledge.core.Scope;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.Durations;

/** core: load a policy strictly, read typed sections, and see how a mistake is reported. */
public final class PolicyExample {
  private PolicyExample() {}

  public static void main(String[] args) {
    PolicyDocument policy = Bundled.policy();
    OrganisationPolicy org = policy.require(OrganisationPolicy.class);
    HostingPolicy hosting = policy.require(HostingPolicy.class);
    System.out.println(org.name() + ": " + org.scopes().size() + " site environments, regions " + hosting.regions());
    for (Scope scope : org.scopes()) {
      System.out.println("  " + scope);
    }
    System.out.println("5m = " + Durations.parse("5m") + ", 3 months = " + Durations.parsePeriod("3 months"));

    // A typo is an error with the file, line, column and key path, and nothing is half-loaded.
    String typo = """
        hosting:
          regions: [eu-west-2]
          tlsOnyl: true
        """;
    try {
      PolicyLoader.create().load("mine.yaml", typo);
    } catch (PolicyException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
