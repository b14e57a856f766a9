/**
 * Pledge support SLA: severity classification, response clocks, on-call rotation, alerts, uptime
 * reports, maintenance windows and failover (P2-P5, P33-P39). Exports API packages only. SMS
 * gateways come from {@link dev.pledge.sla.notify.SmsNotifierProvider}s ({@code pledge-sla-aws}).
 */
module dev.pledge.sla {
  requires transitive dev.pledge.core;
  requires re2j;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.circuitbreaker;
  requires org.slf4j;
  requires java.net.http;

  exports dev.pledge.sla.clock;
  exports dev.pledge.sla.failover;
  exports dev.pledge.sla.history;
  exports dev.pledge.sla.maintenance;
  exports dev.pledge.sla.notify;
  exports dev.pledge.sla.oncall;
  exports dev.pledge.sla.severity;
  exports dev.pledge.sla.uptime;
  exports dev.pledge.sla.notify.internal to dev.pledge.sla.aws;

  opens dev.pledge.sla.clock to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.failover to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.history to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.maintenance to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.notify to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.oncall to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.severity to com.fasterxml.jackson.databind;
  opens dev.pledge.sla.uptime to com.fasterxml.jackson.databind;

  uses dev.pledge.sla.notify.SmsNotifierProvider;
  provides dev.pledge.core.policy.PolicySectionProvider with
      dev.pledge.sla.internal.SlaSections,
      dev.pledge.sla.internal.UptimeSections;
  provides dev.pledge.core.evidence.PromiseCheck with dev.pledge.sla.internal.OnCallCheck,
      dev.pledge.sla.internal.UptimeHistoryCheck,
      dev.pledge.sla.internal.SupportHistoryCheck,
      dev.pledge.sla.internal.AvailabilityAlertsCheck,
      dev.pledge.sla.internal.ContinuityCheck;
}
