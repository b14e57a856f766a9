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
 *       databaseRole: app_rw     # the database role a grant's login is given (default: the name)
 *   requireApprover: true        # P15: a production grant needs an approver who is not the requester
 *   autoApproveOnCall: false     # P15 with P38: the operations engineer on call needs no approver
 *   incidentPattern: "[A-Z][A-Z0-9]*-[0-9]+"  # P15: a production grant's reason names an incident
 *   store: file:access            # where the brokers keep people and grants; the report reads it
 * }</pre>
 *
 * @param administrator the account of the one person who holds complete administrative access (P21)
 * @param standingProductionAccess whether anyone may hold production access without a grant;
 *     {@code false} keeps P15 (default)
 * @param maxGrant the longest a just-in-time grant may last (default 8 hours)
 * @param employeesOnly whether only employees may be granted access (P16; default true)
 * @param roles the roles and the permissions each carries (P14); at least one
 * @param requireApprover whether a production grant needs an approver who is not the requester
 *     (P15; default true)
 * @param autoApproveOnCall whether the operations engineer on call is approved without a second
 *     person (P15 with P38; default false)
 * @param incidentPattern a regular expression that a production grant's reason must contain, such as
 *     an incident id (P15; default {@code [A-Z][A-Z0-9]*-[0-9]+}, as in {@code INC-7})
 * @param store where the deployment's brokers keep people, requests and grants ({@code file:DIR},
 *     relative to the policy's folder, or a {@code jdbc:} URL), which the compliance report reads for
 *     P14-P19; {@code null} when the policy names none
 */
public record AccessPolicy(
    @JsonProperty(required = true) String administrator,
    Boolean standingProductionAccess,
    Duration maxGrant,
    Boolean employeesOnly,
    @JsonProperty(required = true) List<Role> roles,
    Boolean requireApprover,
    Boolean autoApproveOnCall,
    String incidentPattern,
    String store) {

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
    requireApprover = requireApprover == null || requireApprover;
    autoApproveOnCall = autoApproveOnCall != null && autoApproveOnCall;
    incidentPattern = incidentPattern == null ? DEFAULT_INCIDENT : incidentPattern;
    try {
      java.util.regex.Pattern.compile(incidentPattern);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("incidentPattern is not a regular expression: " + e.getDescription());
    }
    if (store != null && !(store.startsWith("file:") && store.length() > 5) && !store.startsWith("jdbc:")) {
      throw new IllegalArgumentException("store must be file:DIR or a jdbc: URL, got '"
          + (store.startsWith("jdbc") ? "jdbc..." : store) + "'");
    }
  }

  /** The section without a store named for the report. */
  public AccessPolicy(String administrator, Boolean standingProductionAccess, Duration maxGrant, Boolean employeesOnly,
      List<Role> roles, Boolean requireApprover, Boolean autoApproveOnCall, String incidentPattern) {
    this(administrator, standingProductionAccess, maxGrant, employeesOnly, roles, requireApprover, autoApproveOnCall,
        incidentPattern, null);
  }

  /** The section with the default approval rules: an approver required, no on-call auto-approval. */
  public AccessPolicy(String administrator, Boolean standingProductionAccess, Duration maxGrant, Boolean employeesOnly,
      List<Role> roles) {
    this(administrator, standingProductionAccess, maxGrant, employeesOnly, roles, null, null, null, null);
  }

  /** The default {@link #incidentPattern()}: an id such as {@code INC-7} or {@code OPS-1234}. */
  public static final String DEFAULT_INCIDENT = "[A-Z][A-Z0-9]*-[0-9]+";

  /** Whether {@code reason} names an incident by the policy's {@link #incidentPattern()} (P15). */
  public boolean namesIncident(String reason) {
    return reason != null && java.util.regex.Pattern.compile(incidentPattern).matcher(reason).find();
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
   * @param databaseRole the role on an {@link AccessTarget} that a grant's login is made a member of
   *     (default: the role's name)
   */
  public record Role(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) List<String> permissions,
      Boolean production,
      String databaseRole) {

    /** A role whose database role has its own name. */
    public Role(String name, List<String> permissions, Boolean production) {
      this(name, permissions, production, null);
    }

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
      databaseRole = databaseRole == null || databaseRole.isBlank() ? name : databaseRole;
    }
  }
}
