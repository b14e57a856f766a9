/**
 * The audit trail (P14, P20): who did what, to which resource, when, and how it ended. The
 * {@link dev.pledge.core.audit.AuditTrail} SPI lets integrators send records to their own store.
 */
package dev.pledge.core.audit;
