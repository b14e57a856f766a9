package dev.pledge.security.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code access} section of the policy document: who may reach production, and for how long
 * (P14-P21). Immutable.
 *
 * <pre>{@code
 * access:
 *   administrator: mark          # P21: the one person with complete administrative access
 *   maxGrant: 8h                 # P15, P17: just-in-time production access expires
 *   employeesOnly: true          # P16: contractors are never granted infrastructure or data
 *   roles:                       # P14: least privilege
 *     - name: engineer
 *       permissions: [deploy, logs.read]
 *     - name: operations
 *       permissions: [deploy, logs.read, database.read]
 *       production: true         # production data: only through a just-in-time grant
 * }</pre>
 *
 * @param administrator the account of the one person who holds complete administrative access (P21)
 * @param standingProductionAccess whether anyone may hold production access without a grant;
 *     {@code false} keeps P15 (default)
 * @param maxGrant the longest a just-in-time grant may last (default 8 hours)
 * @param employeesOnly whether only employees may be granted access (P16; default true)
 * @param roles the roles and the permissions each carries (P14); at least one
 */
public record AccessPolicy(
    @JsonProperty(required = true) String administrator,
    Boolean standingProductionAccess,
    Duration maxGrant,
    Boolean employeesOnly,
    @JsonProperty(required = true) List<Role> roles) {

  /** The permission that stands for complete administrative access (P21). */
  public static final String ADMINISTRATOR = "administrator";

  /** Validates the section and applies defaults. */
  public AccessPolicy {
    if (administrator == null || administrator.isBlank()) {
      throw new IllegalArgumentException("administrator must name one person's account");
    }
    standingProductionAccess = standingProductionAccess != null && standingProductionAccess;
    maxGrant = maxGrant == null ? Duration.ofHours(8) : maxGrant;
    if (maxGrant.isNegative() || maxGrant.isZero()) {
      throw new IllegalArgumentException("maxGrant must be greater than zero, got " + maxGrant);
    }
    employeesOnly = employeesOnly == null || employeesOnly;
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("roles must list at least one role");
    }
    Set<String> names = new HashSet<>();
    for (Role r : roles) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("roles: role '" + r.name() + "' is listed twice");
      }
      if (r.permissions().contains(ADMINISTRATOR)) {
        throw new IllegalArgumentException("roles: role '" + r.name() + "' carries '" + ADMINISTRATOR
            + "', which only the named administrator holds (P21)");
      }
    }
    roles = List.copyOf(roles);
  }

  /** The role named {@code name}, if the policy defines it. */
  public Optional<Role> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * One role and what it permits.
   *
   * @param name the role's name
   * @param permissions what the role may do, such as {@code deploy} or {@code database.read}
   * @param production whether the role reaches production data, which then needs a just-in-time
   *     grant (P15); default false
   */
  public record Role(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) List<String> permissions,
      Boolean production) {

    /** Validates the role. */
    public Role {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("role name must not be blank");
      }
      Objects.requireNonNull(permissions, "permissions");
      if (permissions.isEmpty()) {
        throw new IllegalArgumentException("role '" + name + "' must carry at least one permission");
      }
      permissions = List.copyOf(permissions);
      production = production != null && production;
    }
  }
}
