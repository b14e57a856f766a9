/**
 * Alerts for people (P4): {@link dev.pledge.core.notify.Notifier}s for Slack incoming webhooks
 * ({@link dev.pledge.sla.notify.SlackNotifier}) and SMS through Amazon SNS
 * ({@link dev.pledge.sla.notify.SmsNotifier}; Amazon SNS from pledge-sla-aws), both delivering under a
 * {@link dev.pledge.sla.notify.DeliveryPolicy} (timeout, retries with backoff, circuit breaker,
 * de-duplication), and the {@link dev.pledge.sla.notify.AlertRouter} that pages the engineer on call
 * for Gold reports and breaches and follows the policy's {@link dev.pledge.sla.notify.AlertRouting}
 * for the rest.
 */
package dev.pledge.sla.notify;
