package dev.pledge.examples.tour;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyWarning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The policy itself: loaded strictly; its sites (P6), regions (P1) and TLS rule (P22). */
final class PolicyStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(22);
  }

  @Override
  public String tag() {
    return "policy";
  }

  @Override
  public void run(TourContext ctx) {
    var policy = ctx.policy();
    ctx.say(tag(), policy.source() + " loaded strictly: " + policy.sectionNames().size() + " sections bound ("
        + String.join(", ", policy.sectionNames()) + ")" + (policy.warnings().isEmpty() ? ", no warnings"
        : ", " + policy.warnings().size() + " warnings"));
    for (PolicyWarning w : policy.warnings()) {
      ctx.say(tag(), "  warning: " + w);
    }
    OrganisationPolicy org = policy.require(OrganisationPolicy.class);
    ctx.say(tag(), org.name() + ": " + org.scopes().size() + " site environments " + org.scopes());

    HostingPolicy hosting = policy.require(HostingPolicy.class);
    List<String> plainHttp = new ArrayList<>();
    collectPlainHttp(policy.toJson(), "", plainHttp);
    boolean tls = hosting.tlsOnly() && plainHttp.isEmpty();
    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("hosting.tlsOnly", String.valueOf(hosting.tlsOnly()));
    ev.put("plain-http endpoints in the policy", plainHttp.isEmpty() ? "none" : String.join(", ", plainHttp));
    ctx.report().judged(22, tls, "the policy requires TLS and configures no plain-HTTP endpoint",
        "the policy allows plain HTTP", ev);
    ctx.say(tag(), "TLS only: " + tls + " (" + (plainHttp.isEmpty() ? "no plain-http endpoint configured" : plainHttp)
        + ") (P22)");
  }

  /** Every string value that is a plain-http URL to somewhere other than this machine. */
  private static void collectPlainHttp(JsonNode n, String path, List<String> out) {
    if (n.isTextual()) {
      String s = n.asText();
      if (s.startsWith("http://") && !s.startsWith("http://127.0.0.1") && !s.startsWith("http://localhost")) {
        out.add(path);
      }
    } else if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        collectPlainHttp(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        collectPlainHttp(n.get(i), path + "[" + i + "]", out);
      }
    }
  }
}
