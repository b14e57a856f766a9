package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.time.Durations;
import dev.pledge.sla.clock.ResponseTargets;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pledge sla}: Classify support reports and compute response deadlines (P33-P38). */
@Command(name = "sla", mixinStandardHelpOptions = true,
    description = "Classify support reports and compute response deadlines (P33-P38).",
    subcommands = {SlaCommand.Classify.class, SlaCommand.Deadline.class})
final class SlaCommand implements Runnable {
  private final Io io;

  SlaCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("sla: a subcommand is required; see 'pledge sla --help'");
  }

  static SlaPolicy slaPolicy(CommonOptions options) {
    PolicyDocument doc = options.loadPolicy();
    return doc.section(SlaPolicy.class).orElseThrow(() -> CliException.badInput(
        doc.source() + ": the policy has no 'sla' section (tiers and rules); see the bundled policy"));
  }

  /** {@code pledge sla classify [--customer C]}: stdin holds the report's text. */
  @Command(name = "classify", mixinStandardHelpOptions = true,
      description = {"Put the report read from stdin in a severity tier (P33-P37) and name every rule that matched.",
          "JSON: {\"tier\": 1, \"name\": \"Gold\", \"respondWithin\": \"PT2H\", \"matched\": [...]}."})
  static final class Classify implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Option(names = "--customer", paramLabel = "C", description = "Apply this customer's tailored terms (P37).")
    String customer;

    Classify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      String text = io.readAll();
      if (text == null || text.isBlank()) {
        throw CliException.badInput("sla classify: stdin is empty; give the report's text on stdin");
      }
      Classifier classifier = Classifier.from(slaPolicy(options));
      Classification c = classifier.classify(Report.of(text), customer);
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("tier", c.tier().rank());
        out.put("name", c.tier().displayName());
        out.put("respondWithin", c.respondWithin().toString());
        ArrayNode matched = out.putArray("matched");
        c.matchedNames().forEach(matched::add);
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println("tier " + c.tier().rank() + " (" + c.tier().displayName() + "): respond within "
            + Durations.format(c.respondWithin()) + (customer != null ? " for " + customer : ""));
        if (c.defaulted()) {
          io.out().println("no rule matched: the policy's default tier applies");
        }
        for (Classification.Match m : c.matched()) {
          io.out().println("  matched: " + m.name() + " -> tier " + m.rank());
        }
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge sla deadline --tier N --opened T [--customer C]}. */
  @Command(name = "deadline", mixinStandardHelpOptions = true,
      description = {"When a response is due for a report of tier N opened at T, on the tier's calendar (P34-P37).",
          "JSON: {\"respondBy\": \"2026-11-02T12:00:00Z\"}."})
  static final class Deadline implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Option(names = "--tier", required = true, paramLabel = "N", description = "The tier's rank (1 is Gold).")
    int tier;

    @Option(names = "--opened", required = true, paramLabel = "T",
        description = "When the report was opened, ISO-8601 (2026-11-02T10:00:00Z).")
    String opened;

    @Option(names = "--customer", paramLabel = "C", description = "Apply this customer's tailored terms (P37).")
    String customer;

    Deadline(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      Instant at = CommonOptions.parseInstant("--opened", opened);
      ResponseTargets.Target target = slaPolicy(options).targets(customer).target(tier);
      Instant by = target.deadline(at);
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("respondBy", by.toString());
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(by + "  (tier " + target.rank() + " " + target.name() + ": "
            + Durations.format(target.respondWithin()) + " on " + target.calendar() + ")");
      }
      return PledgeCli.OK;
    }
  }
}
