package dev.pledge.examples.cli;

import dev.pledge.examples.report.ComplianceReport;
import dev.pledge.examples.tour.Tour;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge report}: the compliance report alone. It runs the tour's measurements quietly on
 * the policy and writes the HTML page and its JSON; with {@code --json} it prints the JSON.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Measure every promise on the policy and write the compliance report",
        "(HTML and JSON) into --dir; --json prints the JSON on stdout."})
final class ReportCommand implements Callable<Integer> {
  private final Io io;

  @Mixin
  CommonOptions options;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "pledge-report",
      description = "Working folder, recreated on each run (default: ${DEFAULT-VALUE}).")
  Path dir;

  ReportCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    TourCommand.recreate(dir);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Tour.Result result = Tour.run(options.loadPolicy(), dir, options.clock().instant(), quiet);
    ComplianceReport report = result.report();
    Path[] written = TourCommand.write(report, dir);
    if (options.json()) {
      io.out().println(CommonOptions.toJson(CommonOptions.jsonMapper().readTree(report.toJson())));
    } else {
      io.out().println(written[0].toAbsolutePath());
    }
    TourCommand.listFailing(report, io.err(), "pledge report");
    return result.ok() ? PledgeCli.OK : PledgeCli.NEGATIVE;
  }
}
