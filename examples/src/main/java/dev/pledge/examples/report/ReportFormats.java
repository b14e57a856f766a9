package dev.pledge.examples.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The report in the formats outside tools read: JUnit XML (one test case per promise, as CI servers
 * and InSpec's junit reporter show them) and NIST OSCAL assessment results (JSON, OSCAL 1.0.6). Both
 * carry the same statuses and evidence as the HTML page and the JSON. Stateless.
 */
public final class ReportFormats {
  /**
   * The OSCAL version the assessment results declare: that of the official Assessment Results JSON
   * schema the tests validate them against.
   */
  public static final String OSCAL_VERSION = "1.0.6";

  private ReportFormats() {}

  /**
   * JUnit XML: a {@code testsuite} of one {@code testcase} per promise; not kept is a
   * {@code failure}, no evidence a {@code failure} of type {@code NO_EVIDENCE}, a check that threw an
   * {@code error}, not applicable {@code skipped}. The evidence goes in {@code system-out}.
   */
  public static String junit(ComplianceReport r) {
    Map<PromiseStatus, Integer> c = r.counts();
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<testsuite name=\"").append(xml("compliance of " + r.organisation())).append("\" tests=\"")
        .append(r.promises().size()).append("\" failures=\"").append(c.get(PromiseStatus.NOT_KEPT) + c.get(PromiseStatus.NO_EVIDENCE))
        .append("\" errors=\"").append(c.get(PromiseStatus.ERROR)).append("\" skipped=\"")
        .append(c.get(PromiseStatus.NOT_APPLICABLE)).append("\" timestamp=\"").append(r.generatedAt()).append("\">\n");
    for (PromiseResult p : r.promises()) {
      x.append("  <testcase classname=\"").append(xml(p.promise().area())).append("\" name=\"")
          .append(xml(p.promise().id() + " " + p.promise().text())).append("\">\n");
      switch (p.status()) {
        case NOT_KEPT, NO_EVIDENCE -> x.append("    <failure type=\"").append(p.status()).append("\" message=\"")
            .append(xml(p.summary())).append("\"/>\n");
        case ERROR -> x.append("    <error type=\"ERROR\" message=\"").append(xml(p.summary())).append("\"/>\n");
        case NOT_APPLICABLE -> x.append("    <skipped message=\"").append(xml(p.summary())).append("\"/>\n");
        default -> { }
      }
      StringBuilder out = new StringBuilder(p.status() + ": " + p.summary());
      p.evidence().forEach((k, v) -> out.append('\n').append(k).append(": ").append(v));
      x.append("    <system-out>").append(xml(out.toString())).append("</system-out>\n  </testcase>\n");
    }
    return x.append("</testsuite>\n").toString();
  }

  /**
   * OSCAL assessment results: one result over the report's period, a finding per promise whose target
   * is the promise's statement with status {@code satisfied} (kept) or {@code not-satisfied}
   * (anything else, the reason in the remarks), and an observation per promise holding its evidence.
   * UUIDs are derived from the report's content, so the same report gives the same document.
   */
  public static String oscal(ComplianceReport r) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode ar = root.putObject("assessment-results");
    String seed = r.organisation() + "|" + r.policySource() + "|" + r.generatedAt();
    ar.put("uuid", uuid(seed));
    ObjectNode meta = ar.putObject("metadata");
    meta.put("title", "Compliance of " + r.organisation() + " with its security policy");
    meta.put("last-modified", r.generatedAt().toString());
    meta.put("version", r.generatedAt().toString());
    meta.put("oscal-version", OSCAL_VERSION);
    ar.putObject("import-ap").put("href", "#pledge-assessment-plan");
    ArrayNode results = ar.putArray("results");
    ObjectNode result = results.addObject();
    result.put("uuid", uuid(seed + "|result"));
    result.put("title", "Promises P1-P" + r.promises().size() + " judged from the deployment's evidence");
    result.put("description", "Each promise of the policy judged from the deployment's evidence by Pledge's promise checks"
        + " (policy " + r.policySource() + ").");
    Instant start = r.periodFrom() == null ? r.generatedAt() : r.periodFrom();
    result.put("start", start.toString());
    if (r.periodTo() != null) {
      result.put("end", r.periodTo().toString());
    }
    result.putObject("reviewed-controls").putArray("control-selections").addObject().putObject("include-all");
    ArrayNode observations = result.putArray("observations");
    ArrayNode findings = result.putArray("findings");
    for (PromiseResult p : r.promises()) {
      String obs = uuid(seed + "|obs|" + p.promise().id());
      ObjectNode o = observations.addObject();
      o.put("uuid", obs);
      o.put("title", p.promise().id() + " evidence");
      StringBuilder d = new StringBuilder(p.summary());
      p.evidence().forEach((k, v) -> d.append("\n").append(k).append(": ").append(v));
      o.put("description", d.toString());
      o.putArray("methods").add(p.status() == PromiseStatus.NOT_APPLICABLE ? "EXAMINE" : "TEST");
      o.put("collected", r.generatedAt().toString());
      ObjectNode f = findings.addObject();
      f.put("uuid", uuid(seed + "|finding|" + p.promise().id()));
      f.put("title", p.promise().id() + ": " + p.promise().text());
      f.put("description", p.promise().area() + ": " + p.promise().text());
      ObjectNode target = f.putObject("target");
      target.put("type", "statement-id");
      target.put("target-id", "pledge-" + p.promise().id().toLowerCase(java.util.Locale.ROOT) + "_smt");
      ObjectNode status = target.putObject("status");
      status.put("state", p.status() == PromiseStatus.KEPT ? "satisfied" : "not-satisfied");
      if (p.status() != PromiseStatus.KEPT) {
        status.put("reason", p.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        status.put("remarks", p.summary());
      }
      f.putArray("related-observations").addObject().put("observation-uuid", obs);
    }
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the OSCAL assessment results: " + e.getOriginalMessage(), e);
    }
  }

  /** A name-based version-5 UUID (RFC 4122, SHA-1), as OSCAL requires version 4 or 5. */
  static String uuid(String seed) {
    byte[] h;
    try {
      h = java.security.MessageDigest.getInstance("SHA-1").digest(("pledge-report:" + seed).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
    h[6] = (byte) ((h[6] & 0x0f) | 0x50);
    h[8] = (byte) ((h[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (h[i] & 0xff);
      lsb = (lsb << 8) | (h[i + 8] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  private static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> {
          if (ch >= 0x20 || ch == '\n' || ch == '\t') {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }
}
