package dev.pledge.examples.cli;

import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.examples.report.Charts;
import dev.pledge.examples.report.ComplianceReport;
import dev.pledge.examples.report.EvidenceReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge report}: judges every promise from the evidence of the deployment the policy names
 * (its backup stores, settings, on-call schedule, recorded demonstrations) over {@code [--from,
 * --to)}, and writes the report as HTML, JSON, JUnit XML and OSCAL assessment results into
 * {@code --dir}. Exit 0 when every promise is kept; 1 when any is not kept, has no evidence or could
 * not be judged, each listed on stderr.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Judge every promise from the evidence of the deployment the policy names, over [--from, --to),",
        "and write the report (HTML, JSON, JUnit XML, OSCAL assessment results) into --dir.",
        "Exit 0 when every promise is kept; 1 when any is not (listed on stderr)."})
final class ReportCommand implements Callable<Integer> {
  private final Io io;

  @Mixin
  CommonOptions options;

  @Option(names = "--from", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
      description = "Start of the period judged (default: an hour before --to).")
  Instant from;

  @Option(names = "--to", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
      description = "End of the period judged, excluded (default: now, or --now).")
  Instant to;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "pledge-report",
      description = "Folder the report is written to, recreated on each run (default: ${DEFAULT-VALUE}).")
  Path dir;

  ReportCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    PolicyDocument policy = options.loadPolicy();
    Path base = options.policyFile() == null ? Path.of("").toAbsolutePath()
        : options.policyFile().toAbsolutePath().getParent();
    if (base.startsWith(dir.toAbsolutePath().normalize())) {
      throw CliException.badInput("--dir " + dir.toAbsolutePath() + " holds the deployment of --policy "
          + options.policyFile() + "; the report folder is recreated on each run, so name another one");
    }
    Instant end = to != null ? to : options.clock().instant();
    Instant start = from != null ? from : end.minus(Duration.ofHours(1));
    if (!start.isBefore(end)) {
      throw CliException.badInput("--from " + start + " must be before --to " + end);
    }
    TourCommand.recreate(dir);
    ComplianceReport report = EvidenceReport.judge(policy, base, new AssessmentPeriod(start, end),
        java.time.Clock.fixed(end, options.zone()), Charts.none());
    Path[] written = TourCommand.write(report, dir);
    if (options.json()) {
      io.out().println(CommonOptions.toJson(CommonOptions.jsonMapper().readTree(report.toJson())));
    } else {
      io.out().println(TourCommand.summary(report));
      for (Path p : written) {
        io.out().println(p.toAbsolutePath());
      }
    }
    TourCommand.listFailing(report, io.err(), "pledge report");
    return report.failing().isEmpty() ? PledgeCli.OK : PledgeCli.NEGATIVE;
  }
}
