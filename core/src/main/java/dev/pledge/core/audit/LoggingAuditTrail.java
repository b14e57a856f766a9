package dev.pledge.core.audit;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditTrail#toLog()}: each record as one INFO line of canonical JSON on the SLF4J logger
 * {@code dev.pledge.audit}. Keeps nothing in memory and cannot be read back; it is what a component
 * records to when it was given no trail, so nothing is dropped silently. Thread-safe.
 */
final class LoggingAuditTrail implements AuditTrail {
  static final LoggingAuditTrail INSTANCE = new LoggingAuditTrail();
  private static final Logger LOG = LoggerFactory.getLogger("dev.pledge.audit");

  private LoggingAuditTrail() {}

  @Override
  public void record(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    if (LOG.isInfoEnabled()) {
      String json = AuditChain.canonicalJson(0, AuditChain.normalised(record));
      LOG.info("{}", "{" + json.substring("{\"seq\":0,".length()));
    }
  }

  @Override
  public String toString() {
    return "LoggingAuditTrail[dev.pledge.audit]";
  }
}
