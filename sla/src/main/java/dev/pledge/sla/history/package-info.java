/**
 * The durable history of the support SLA and of uptime (P2, P3, P33-P37): every SLA clock and triage
 * event of every report, every health-probe result and every monthly uptime report produced, in a
 * {@link dev.pledge.sla.history.SlaHistory} that several nodes can share (a JDBC database). The
 * compliance report judges those promises from this history.
 */
package dev.pledge.sla.history;
