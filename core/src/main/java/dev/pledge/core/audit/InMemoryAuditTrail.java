package dev.pledge.core.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** An {@link AuditTrail} kept in memory. Thread-safe. */
public final class InMemoryAuditTrail implements AuditTrail {
  private final List<AuditRecord> records = new ArrayList<>();

  InMemoryAuditTrail() {}

  @Override
  public synchronized void record(AuditRecord record) {
    records.add(Objects.requireNonNull(record, "record"));
  }

  @Override
  public synchronized List<AuditRecord> records() {
    return List.copyOf(records);
  }

  /** The records that match {@code filter}, oldest first. */
  public synchronized List<AuditRecord> records(Predicate<? super AuditRecord> filter) {
    return records.stream().filter(filter).toList();
  }

  /** The records whose action is {@code action}, oldest first. */
  public List<AuditRecord> byAction(String action) {
    return records(r -> r.action().equals(action));
  }
}
