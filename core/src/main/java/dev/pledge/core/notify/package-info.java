/**
 * Alerts for people (P4): the {@link dev.pledge.core.notify.Notifier} SPI, implemented for Slack and
 * SMS by {@code pledge-sla} and by integrators for anything else.
 */
package dev.pledge.core.notify;
