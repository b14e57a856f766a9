package dev.pledge.core.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.SiteId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code organisation} section: who makes the promises and which sites and environments they
 * cover (P6: backups per site and per environment). Immutable.
 *
 * <pre>{@code
 * organisation:
 *   name: Example Ltd
 *   sites:
 *     - id: shop
 *       environments: [production, staging, development]
 * }</pre>
 *
 * @param name the organisation's name
 * @param sites the sites, each with its environments; at least one
 */
public record OrganisationPolicy(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) List<Site> sites) {

  /** Validates the section. */
  public OrganisationPolicy {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (sites == null || sites.isEmpty()) {
      throw new IllegalArgumentException("sites must list at least one site");
    }
    Set<SiteId> seen = new HashSet<>();
    for (Site s : sites) {
      if (!seen.add(s.id())) {
        throw new IllegalArgumentException("sites: site '" + s.id() + "' is listed twice");
      }
    }
    sites = List.copyOf(sites);
  }

  /** The site with {@code id}, if the policy lists it. */
  public Optional<Site> site(SiteId id) {
    return sites.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Every site in every one of its environments, in document order. */
  public List<Scope> scopes() {
    List<Scope> out = new ArrayList<>();
    for (Site s : sites) {
      for (Environment e : s.environments()) {
        out.add(new Scope(s.id(), e));
      }
    }
    return List.copyOf(out);
  }

  /**
   * One site and its environments.
   *
   * @param id the site's id
   * @param environments its environments; defaults to {@code [production]}
   */
  public record Site(@JsonProperty(required = true) SiteId id, List<Environment> environments) {

    /** Validates the site. */
    public Site {
      Objects.requireNonNull(id, "id");
      environments = environments == null || environments.isEmpty()
          ? List.of(Environment.PRODUCTION) : List.copyOf(environments);
      if (new HashSet<>(environments).size() != environments.size()) {
        throw new IllegalArgumentException("environments of site '" + id + "' list one environment twice");
      }
    }
  }
}
