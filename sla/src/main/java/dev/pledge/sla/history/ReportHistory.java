package dev.pledge.sla.history;

import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.oncall.TriageEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the {@link SlaHistory} holds of one support report (P33-P37): its SLA clock events and
 * its triage events, each oldest first, and the customer it was opened for. Immutable.
 *
 * @param reportId the report's id
 * @param customer the customer whose terms apply; empty for the standard terms
 * @param clock the SLA clock's events, oldest first; empty when no clock was recorded
 * @param triage the triage events, oldest first; empty when no triage was recorded
 */
public record ReportHistory(String reportId, Optional<String> customer, List<SlaEvent> clock,
    List<TriageEvent> triage) {

  /** Copies the lists. */
  public ReportHistory {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(customer, "customer");
    clock = List.copyOf(clock);
    triage = List.copyOf(triage);
  }
}
