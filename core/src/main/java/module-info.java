/**
 * Pledge core: the shared kernel. Exports API packages only; {@code dev.pledge.core.internal} is
 * shared with Pledge's own modules and is not an API.
 */
module dev.pledge.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.slf4j;
  requires transitive java.sql;

  exports dev.pledge.core;
  exports dev.pledge.core.audit;
  exports dev.pledge.core.event;
  exports dev.pledge.core.evidence;
  exports dev.pledge.core.export;
  exports dev.pledge.core.jdbc;
  exports dev.pledge.core.lock;
  exports dev.pledge.core.notify;
  exports dev.pledge.core.policy;
  exports dev.pledge.core.time;
  exports dev.pledge.core.internal to dev.pledge.security, dev.pledge.security.redis, dev.pledge.backup,
      dev.pledge.backup.s3, dev.pledge.sla, dev.pledge.sla.aws, dev.pledge.sla.redis;

  opens dev.pledge.core to com.fasterxml.jackson.databind;
  opens dev.pledge.core.audit to com.fasterxml.jackson.databind;
  opens dev.pledge.core.export to com.fasterxml.jackson.databind;
  opens dev.pledge.core.policy to com.fasterxml.jackson.databind;

  uses dev.pledge.core.policy.PolicySectionProvider;
  uses dev.pledge.core.evidence.PromiseCheck;
  uses dev.pledge.core.audit.CheckpointPublisherProvider;
  provides dev.pledge.core.evidence.PromiseCheck with dev.pledge.core.internal.HostingCheck,
      dev.pledge.core.internal.AuditTrailCheck, dev.pledge.core.internal.ExportCheck;
  provides dev.pledge.core.policy.PolicySectionProvider with dev.pledge.core.internal.CorePolicySections;
}
