package dev.pledge.core.audit;

import java.nio.file.Path;
import java.util.List;

/**
 * Where Pledge records every action it takes or refuses (P14, P20): backups, restores, deletions,
 * forced password resets, access grants. Integrators plug in their own store (a SIEM, a database
 * table) by implementing {@link #record}.
 *
 * <p>Implementations must be thread-safe. {@code record} should be fast; a trail that cannot persist
 * a record must throw a {@link dev.pledge.core.PledgeException}, because an action that cannot be
 * audited should not pass silently.
 */
public interface AuditTrail {

  /** Appends one record. */
  void record(AuditRecord record);

  /**
   * The records kept, oldest first, when the implementation can read them back; implementations
   * that only forward records elsewhere return an empty list.
   */
  default List<AuditRecord> records() {
    return List.of();
  }

  /** A trail that keeps records in memory, for tests and short-lived tools. */
  static InMemoryAuditTrail inMemory() {
    return new InMemoryAuditTrail();
  }

  /**
   * A hash-chained trail in a JSON Lines file ({@link JsonLinesAuditStore}), each record durable
   * before {@code record} returns, with group commit; no checkpoints (see
   * {@link #jsonLines(Path, CheckpointKey)}).
   */
  static ChainedAuditTrail jsonLines(Path file) {
    return ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).build();
  }

  /** A hash-chained trail in a JSON Lines file with checkpoints signed by {@code key}. */
  static ChainedAuditTrail jsonLines(Path file, CheckpointKey key) {
    return ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).key(key).build();
  }

  /**
   * The trail the policy's {@code audit} section describes, on the system clock; a
   * {@link ChainedAuditTrail} unless the section names {@code store: discard}.
   */
  static AuditTrail from(AuditPolicy section) {
    return AuditTrails.from(section, java.time.Clock.systemUTC());
  }

  /**
   * The trail the policy's {@code audit} section describes, stamping checkpoints with {@code clock}.
   *
   * @deprecated the clock is a builder setting like everywhere else: use
   *     {@code AuditTrail.builder(section).clock(clock).build()}
   */
  @Deprecated(since = "0.2.0")
  static AuditTrail from(AuditPolicy section, java.time.Clock clock) {
    return builder(section).clock(clock).build();
  }

  /**
   * A builder pre-filled from the policy's {@code audit} section, to change one thing (the clock that
   * stamps checkpoints) before {@link Builder#build()} opens the trail.
   */
  static Builder builder(AuditPolicy section) {
    return new Builder(section);
  }

  /**
   * Builds the trail an {@code audit} section describes. Not thread-safe; {@link #build()} opens the
   * trail's store, so each call opens it again: build once and share the trail.
   */
  final class Builder {
    private final AuditPolicy section;
    private java.time.Clock clock = java.time.Clock.systemUTC();

    private Builder(AuditPolicy section) {
      this.section = java.util.Objects.requireNonNull(section, "section");
    }

    /** The clock that stamps checkpoints (default: system UTC). */
    public Builder clock(java.time.Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The trail: a {@link ChainedAuditTrail} over the section's store, or the discarding trail when the
     * section names {@code store: discard}.
     */
    public AuditTrail build() {
      return AuditTrails.from(section, clock);
    }
  }

  /**
   * A trail that writes each record as one INFO line of JSON to the SLF4J logger
   * {@code dev.pledge.audit}, keeping nothing in memory: what Pledge's components record to when they
   * were given no trail, so that an action is never dropped silently. Give components the policy's
   * trail ({@link #from(AuditPolicy)}) for a tamper-evident one.
   */
  static AuditTrail toLog() {
    return LoggingAuditTrail.INSTANCE;
  }

  /**
   * A trail that discards everything; only for code paths where auditing is explicitly not wanted.
   * No Pledge component uses it unless asked to by name.
   */
  static AuditTrail discarding() {
    return record -> { };
  }
}
