package dev.pledge.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which records a query wants (P14, P20): a time range (from inclusive, to exclusive), and optionally
 * one actor, action, resource and outcome; every condition given must hold. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * AuditQuery q = AuditQuery.builder().from(monday).to(tuesday).actor("alice").build();
 * try (Stream<ChainedRecord> s = store.records(q)) { ... }
 * }</pre>
 */
public final class AuditQuery {
  private static final AuditQuery ALL = builder().build();

  private final Instant from;
  private final Instant to;
  private final String actor;
  private final String action;
  private final String resource;
  private final AuditOutcome outcome;

  private AuditQuery(Builder b) {
    this.from = b.from;
    this.to = b.to;
    this.actor = b.actor;
    this.action = b.action;
    this.resource = b.resource;
    this.outcome = b.outcome;
  }

  /** Every record. */
  public static AuditQuery all() {
    return ALL;
  }

  /** A new builder with no condition. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code r} meets every condition. */
  public boolean matches(AuditRecord r) {
    return (from == null || !r.at().isBefore(from))
        && (to == null || r.at().isBefore(to))
        && (actor == null || actor.equals(r.actor()))
        && (action == null || action.equals(r.action()))
        && (resource == null || resource.equals(r.resource()))
        && (outcome == null || outcome == r.outcome());
  }

  /** Whether the query has no condition. */
  public boolean isAll() {
    return from == null && to == null && actor == null && action == null && resource == null && outcome == null;
  }

  /** The earliest instant wanted, inclusive. */
  public Optional<Instant> from() {
    return Optional.ofNullable(from);
  }

  /** The instant before which records are wanted, exclusive. */
  public Optional<Instant> to() {
    return Optional.ofNullable(to);
  }

  /** The actor wanted. */
  public Optional<String> actor() {
    return Optional.ofNullable(actor);
  }

  /** The action wanted. */
  public Optional<String> action() {
    return Optional.ofNullable(action);
  }

  /** The resource wanted. */
  public Optional<String> resource() {
    return Optional.ofNullable(resource);
  }

  /** The outcome wanted. */
  public Optional<AuditOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  @Override
  public String toString() {
    return "AuditQuery[from=" + from + ", to=" + to + ", actor=" + actor + ", action=" + action + ", resource="
        + resource + ", outcome=" + outcome + "]";
  }

  /** A builder holding every criterion of this query, to change one. */
  public Builder toBuilder() {
    Builder b = builder();
    b.from = from;
    b.to = to;
    b.actor = actor;
    b.action = action;
    b.resource = resource;
    b.outcome = outcome;
    return b;
  }

  /** Builds an {@link AuditQuery}; not thread-safe. */
  public static final class Builder {
    private Instant from;
    private Instant to;
    private String actor;
    private String action;
    private String resource;
    private AuditOutcome outcome;

    private Builder() {}

    /** Records at or after {@code from}; null for no lower bound. */
    public Builder from(Instant from) {
      this.from = from;
      return this;
    }

    /** Records before {@code to}; null for no upper bound. */
    public Builder to(Instant to) {
      this.to = to;
      return this;
    }

    /** Records by this actor; null for any. */
    public Builder actor(String actor) {
      this.actor = actor;
      return this;
    }

    /** Records of this action; null for any. */
    public Builder action(String action) {
      this.action = action;
      return this;
    }

    /** Records about this resource; null for any. */
    public Builder resource(String resource) {
      this.resource = resource;
      return this;
    }

    /** Records with this outcome; null for any. */
    public Builder outcome(AuditOutcome outcome) {
      this.outcome = outcome;
      return this;
    }

    /**
     * The query.
     *
     * @throws IllegalArgumentException when {@code to} is not after {@code from}
     */
    public AuditQuery build() {
      if (from != null && to != null && !to.isAfter(from)) {
        throw new IllegalArgumentException("query range: to (" + to + ") must be after from (" + from + ")");
      }
      return new AuditQuery(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditQuery q && Objects.equals(from, q.from) && Objects.equals(to, q.to)
        && Objects.equals(actor, q.actor) && Objects.equals(action, q.action)
        && Objects.equals(resource, q.resource) && outcome == q.outcome;
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, actor, action, resource, outcome);
  }
}
