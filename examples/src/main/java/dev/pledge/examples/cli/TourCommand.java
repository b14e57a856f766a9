package dev.pledge.examples.cli;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.examples.report.ComplianceReport;
import dev.pledge.examples.report.PromiseResult;
import dev.pledge.examples.report.PromiseStatus;
import dev.pledge.examples.report.ReportFormats;
import dev.pledge.examples.tour.Tour;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge tour}: the main job on embedded defaults. It walks through the primitives on the
 * bundled policy with no outside service, says what each step proved, and writes the compliance
 * report.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
    description = {"Walk through every primitive on the bundled policy, with no outside service,",
        "and write the compliance report."})
final class TourCommand implements Callable<Integer> {
  private final Io io;

  @Mixin
  CommonOptions options;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "pledge-tour",
      description = "Working folder, recreated on each run (default: ${DEFAULT-VALUE}).")
  Path dir;

  TourCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    recreate(dir);
    PolicyDocument policy = options.loadPolicy();
    // With --json, stdout carries only the report; the narration goes to stderr.
    PrintStream narration = options.json() ? io.err() : io.out();
    narration.println("Pledge tour, working in " + dir.toAbsolutePath());
    Tour.Result result = Tour.run(policy, dir, options.clock().instant(), narration);
    ComplianceReport report = result.report();
    Path[] written = write(report, dir);
    narration.println();
    narration.println("[report] " + summary(report));
    narration.println("[report] " + written[0].toAbsolutePath());
    if (options.json()) {
      io.out().println(CommonOptions.toJson(CommonOptions.jsonMapper().readTree(report.toJson())));
    }
    for (String step : result.failedSteps()) {
      io.err().println("pledge tour: the " + step + " step failed (see its ERROR line)");
    }
    listFailing(report, io.err(), "pledge tour");
    return result.ok() ? PledgeCli.OK : PledgeCli.NEGATIVE;
  }

  /** {@code 40 promises kept with evidence, 0 not kept, ...}: one line counting each status. */
  static String summary(ComplianceReport report) {
    Map<PromiseStatus, Integer> c = report.counts();
    return c.get(PromiseStatus.KEPT) + " promises kept with evidence, " + c.get(PromiseStatus.NOT_KEPT) + " not kept, "
        + c.get(PromiseStatus.NO_EVIDENCE) + " without evidence, " + c.get(PromiseStatus.ERROR) + " could not be judged, "
        + c.get(PromiseStatus.NOT_APPLICABLE) + " not applicable to software";
  }

  /** One line on {@code err} per promise that is not kept: its id, status and why. */
  static void listFailing(ComplianceReport report, PrintStream err, String who) {
    for (PromiseResult p : report.failing()) {
      err.println(who + ": " + p.promise().id() + " " + p.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + ": " + p.summary());
    }
  }

  /**
   * Writes the report into {@code dir}: the HTML page, its JSON, JUnit XML and OSCAL assessment
   * results; returns the paths, HTML first.
   */
  static Path[] write(ComplianceReport report, Path dir) throws IOException {
    Path html = dir.resolve("compliance-report.html");
    Path json = dir.resolve("compliance-report.json");
    Path junit = dir.resolve("compliance-report.junit.xml");
    Path oscal = dir.resolve("compliance-report.oscal.json");
    Files.writeString(html, report.toHtml(), StandardCharsets.UTF_8);
    Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
    Files.writeString(junit, ReportFormats.junit(report), StandardCharsets.UTF_8);
    Files.writeString(oscal, ReportFormats.oscal(report), StandardCharsets.UTF_8);
    return new Path[] {html, json, junit, oscal};
  }

  /** The file that marks a folder as made by the tour or the report, so a rerun may empty it. */
  static final String MARKER = ".pledge-tour";

  /**
   * Empties and recreates {@code dir}. A folder that holds files but no {@link #MARKER} was not made
   * by Pledge: it is refused (exit 2) and left as it is, so a mistyped {@code --dir} never deletes
   * someone's files.
   */
  static void recreate(Path dir) throws IOException {
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw CliException.badInput("--dir " + dir.toAbsolutePath() + ": the folder is not empty and was not made by"
              + " pledge (no " + MARKER + " file in it); name a new or empty folder, it is recreated on each run");
        }
      }
    } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw CliException.badInput("--dir " + dir.toAbsolutePath() + ": is a file, not a folder");
    }
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "Made by pledge; emptied and recreated on each run.\n", StandardCharsets.UTF_8);
  }
}
