package dev.pledge.examples.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Demonstrations a deployment recorded: a drill, a refused contractor, an export, a failover test,
 * each with when it ran, what it showed and its figures, in {@code demonstrations.json} beside the
 * policy. The tour records one per promise it exercised. The check judges from them only the promises
 * that no module's check reads from real state yet, and says so in every judgement, so a report always
 * shows which promises rest on a recorded demonstration rather than on the deployment's stores.
 * Stateless and thread-safe.
 */
public final class Demonstrations implements PromiseCheck {
  /** The file's name, in the policy's folder. */
  public static final String FILE = "demonstrations.json";

  @Override
  public String name() {
    return "examples.demonstrations";
  }

  @Override
  public List<Integer> promises() {
    Set<Integer> covered = new TreeSet<>();
    for (PromiseCheck c : dev.pledge.core.evidence.Assessment.registered()) {
      if (!(c instanceof Demonstrations)) {
        covered.addAll(c.promises());
      }
    }
    List<Integer> out = new ArrayList<>();
    for (Promise p : Promise.all()) {
      if (!covered.contains(p.number())) {
        out.add(p.number());
      }
    }
    return out;
  }

  /**
   * Judges each promise from the latest demonstration of it recorded in the period (its end
   * included): kept or not kept as it was recorded, with its figures; no evidence when none was.
   */
  @Override
  public List<Judgement> judge(CheckContext ctx) throws IOException {
    Path file = ctx.baseDirectory().resolve(FILE);
    List<Integer> mine = promises();
    if (!Files.exists(file)) {
      return mine.stream().map(p -> Judgement.noEvidence(p, "nothing reads it from the deployment's state yet, and no"
          + " demonstration of it is recorded (" + FILE + " beside the policy)")).toList();
    }
    JsonNode all = Json.mapper().readTree(file.toFile());
    List<Judgement> out = new ArrayList<>();
    for (int p : mine) {
      JsonNode latest = null;
      for (JsonNode d : all.path("demonstrations")) {
        Instant at = Instant.parse(d.path("at").asText());
        if (d.path("promise").asInt() == p && !at.isBefore(ctx.period().from()) && !at.isAfter(ctx.period().to())
            && (latest == null || !at.isBefore(Instant.parse(latest.path("at").asText())))) {
          latest = d;
        }
      }
      if (latest == null) {
        out.add(Judgement.noEvidence(p, "no demonstration of it recorded in the period"));
        continue;
      }
      List<Evidence> ev = new ArrayList<>();
      ev.add(Evidence.of("demonstrated", latest.path("at").asText() + " (recorded in " + FILE + ")"));
      latest.path("evidence").properties().forEach(e -> ev.add(Evidence.of(e.getKey(), e.getValue().asText())));
      Verdict v = "KEPT".equals(latest.path("status").asText()) ? Verdict.KEPT : Verdict.NOT_KEPT;
      out.add(new Judgement(p, v, latest.path("summary").asText(), ev));
    }
    return out;
  }

  /** Writes {@code results} as demonstrations made at {@code at} into {@code dir}/{@value #FILE}. */
  public static void record(Path dir, Instant at, Collection<PromiseResult> results) throws IOException {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode list = root.putArray("demonstrations");
    for (PromiseResult r : results) {
      if (r.status() != PromiseStatus.KEPT && r.status() != PromiseStatus.NOT_KEPT) {
        continue; // an error or a gap is not a demonstration
      }
      ObjectNode d = list.addObject();
      d.put("promise", r.promise().number());
      d.put("at", at.toString());
      d.put("status", r.status().name());
      d.put("summary", r.summary());
      ObjectNode ev = d.putObject("evidence");
      for (Map.Entry<String, String> e : r.evidence().entrySet()) {
        ev.put(e.getKey(), e.getValue());
      }
    }
    Files.writeString(dir.resolve(FILE), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root),
        StandardCharsets.UTF_8);
  }
}
