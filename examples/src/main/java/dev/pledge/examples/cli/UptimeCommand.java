package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.SiteId;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.MaintenanceDecision;
import dev.pledge.sla.uptime.MonthlyUptimeReport;
import dev.pledge.sla.uptime.Outage;
import dev.pledge.sla.uptime.UptimeCalculator;
import dev.pledge.sla.uptime.UptimeHtml;
import dev.pledge.sla.uptime.UptimePolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pledge uptime}: Monthly uptime reports (P2, P3, P39). */
@Command(name = "uptime", mixinStandardHelpOptions = true,
    description = "Monthly uptime reports (P2, P3, P39).",
    subcommands = UptimeCommand.Report.class)
final class UptimeCommand implements Runnable {
  private final Io io;

  UptimeCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("uptime: a subcommand is required; see 'pledge uptime --help'");
  }

  /** {@code pledge uptime report --site S --month YYYY-MM --outages FILE [--maintenance FILE] [--html OUT]}. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = {"A site's uptime for one calendar month against the policy's target (P2, P3).",
          "Outages shorter than the policy's minimum are ignored and overlapping ones merged.",
          "Downtime inside maintenance announced at least the policy's notice period ahead is excluded (P39).",
          "The month is a calendar month in --zone, or in the policy's uptime zone when --zone is not given.",
          "Exit 0 when the target was met, 1 when it was missed, 2 on bad input."})
  static final class Report implements Callable<Integer> {
    private final Io io;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--site", required = true, paramLabel = "S", description = "The site, such as shop.")
    String site;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The month, such as 2026-10.")
    String month;

    @Option(names = "--outages", required = true, paramLabel = "FILE",
        description = "JSON Lines, one outage per line: {\"start\": T, \"end\": T}.")
    Path outages;

    @Option(names = "--maintenance", paramLabel = "FILE",
        description = "JSON Lines, one window per line: {\"start\": T, \"end\": T, \"announced\": T}"
            + " (optional \"emergency\": true, \"impact\": \"...\").")
    Path maintenance;

    @Option(names = "--html", paramLabel = "OUT", description = "Also write the report as a self-contained HTML page.")
    Path html;

    Report(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PolicyDocument policy = options.loadPolicy();
      SiteId siteId = PolicyScopes.site(policy, site);
      YearMonth ym;
      try {
        ym = YearMonth.parse(month);
      } catch (DateTimeParseException e) {
        throw CliException.badInput("--month: '" + month + "' is not a month (write e.g. 2026-10)");
      }
      UptimePolicy up = policy.section(UptimePolicy.class).orElse(UptimePolicy.defaults());
      MaintenancePolicy mp = policy.section(MaintenancePolicy.class).orElse(MaintenancePolicy.defaults());
      boolean zoneGiven = spec.commandLine().getParseResult().hasMatchedOption("--zone");
      ZoneId zone = zoneGiven ? options.zone() : up.zoneId();
      java.time.ZonedDateTime now = options.clock().instant().atZone(zone);
      YearMonth current = YearMonth.from(now);
      if (ym.isAfter(current)) {
        throw CliException.badInput("--month: " + ym + " has not begun (it is " + current + " in " + zone.getId()
            + "); a report covers a month that has begun");
      }
      boolean partial = ym.equals(current);
      UptimeCalculator calc = UptimeCalculator.builder().target(up.target()).zone(zone)
          .minimumOutage(up.minimumOutage()).notice(mp.notice()).build();

      List<Outage> outs = readOutages(outages);
      List<MaintenanceWindow> windows = maintenance == null ? List.of() : readWindows(maintenance);
      // the running month is judged up to now: minutes still to come are neither up nor down yet
      MonthlyUptimeReport r = calc.report(siteId, ym, outs, windows, now.toInstant());

      if (html != null) {
        try {
          Files.writeString(html, UptimeHtml.render(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw CliException.failure("--html: cannot write " + html + ": " + Io.problem(e));
        }
      }
      if (options.json()) {
        com.fasterxml.jackson.databind.JsonNode j = r.toJson();
        if (j instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
          // the month is not over: what is reported so far may still change
          o.put("partial", partial);
          if (partial) {
            o.put("asOf", now.toInstant().toString());
          }
        }
        io.out().println(CommonOptions.toJson(j));
      } else {
        io.out().printf("%s %s (%s): uptime %s%% against %s: %s%s%n", r.site(), r.month(), zone.getId(),
            r.uptimePercent().toPlainString(), r.target(), r.met() ? "met" : "MISSED",
            partial ? " so far (partial: the month is not over, as of " + now.toInstant() + ")" : "");
        io.out().printf("  %d minutes; down %s min counted, %s min excluded for announced maintenance%n",
            r.minutes(), r.toJson().get("downMinutes").asText(), r.toJson().get("excludedMinutes").asText());
        io.out().printf("  error budget %s s, remaining %s s%n", r.toJson().get("allowedDownSeconds").asText(),
            r.toJson().get("budgetRemainingSeconds").asText());
        for (MaintenanceDecision d : r.maintenance()) {
          io.out().printf("  maintenance %s..%s: %s (%s)%n", d.window().start(), d.window().end(),
              d.excluded() ? "excluded" : "counted", d.explanation());
        }
        if (html != null) {
          io.out().println("  HTML report written to " + html);
        }
      }
      return r.met() ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }

    private static List<Outage> readOutages(Path file) {
      List<Outage> out = new ArrayList<>();
      readLines(file, (line, node) -> {
        Instant s = instant(file, line, node, "start");
        Instant e = instant(file, line, node, "end");
        if (!e.isAfter(s)) {
          throw CliException.badInput(file + ":" + line + ": end: " + e + " is not after start " + s);
        }
        out.add(Outage.of(s, e));
      }, "start", "end");
      return out;
    }

    private static List<MaintenanceWindow> readWindows(Path file) {
      List<MaintenanceWindow> out = new ArrayList<>();
      readLines(file, (line, node) -> {
        Instant s = instant(file, line, node, "start");
        Instant e = instant(file, line, node, "end");
        Instant a = instant(file, line, node, "announced");
        if (!e.isAfter(s)) {
          throw CliException.badInput(file + ":" + line + ": end: " + e + " is not after start " + s);
        }
        if (a.isAfter(s)) {
          throw CliException.badInput(file + ":" + line + ": announced: " + a + " is after start " + s);
        }
        boolean emergency = false;
        JsonNode em = node.get("emergency");
        if (em != null) {
          if (!em.isBoolean()) {
            throw CliException.badInput(file + ":" + line + ": emergency: expected true or false, got " + em);
          }
          emergency = em.asBoolean();
        }
        String impact = "";
        JsonNode im = node.get("impact");
        if (im != null) {
          if (!im.isTextual()) {
            throw CliException.badInput(file + ":" + line + ": impact: expected a string, got " + im);
          }
          impact = im.asText();
        }
        out.add(new MaintenanceWindow(s, e, a, emergency, impact));
      }, "start", "end", "announced", "emergency", "impact");
      return out;
    }

    private interface LineHandler {
      void accept(int line, JsonNode node);
    }

    private static void readLines(Path file, LineHandler handler, String... known) {
      List<String> allowed = List.of(known);
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int n = 0;
        for (String text = r.readLine(); text != null; text = r.readLine()) {
          n++;
          if (text.isBlank()) {
            continue;
          }
          JsonNode node;
          try {
            node = CommonOptions.jsonMapper().readTree(text);
          } catch (IOException e) {
            throw CliException.badInput(file + ":" + n + ": not valid JSON: " + firstLine(e.getMessage()));
          }
          if (node == null || !node.isObject()) {
            throw CliException.badInput(file + ":" + n + ": expected a JSON object such as "
                + "{\"start\": \"2026-10-01T00:00:00Z\", \"end\": \"2026-10-01T00:05:00Z\"}");
          }
          var names = node.fieldNames();
          while (names.hasNext()) {
            String f = names.next();
            if (!allowed.contains(f)) {
              throw CliException.badInput(file + ":" + n + ": " + f + ": unknown field (expected "
                  + String.join(", ", allowed) + ")");
            }
          }
          handler.accept(n, node);
        }
      } catch (NoSuchFileException e) {
        throw CliException.badInput(file + ": no such file");
      } catch (IOException e) {
        throw CliException.badInput(file + ": cannot read: " + Io.problem(e));
      }
    }

    private static Instant instant(Path file, int line, JsonNode node, String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw CliException.badInput(file + ":" + line + ": " + field + ": missing (an ISO-8601 instant is required)");
      }
      if (!v.isTextual()) {
        throw CliException.badInput(file + ":" + line + ": " + field + ": expected an ISO-8601 instant string, got " + v);
      }
      try {
        return Instant.parse(v.asText());
      } catch (DateTimeParseException e) {
        try {
          return java.time.OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e2) {
          throw CliException.badInput(file + ":" + line + ": " + field + ": '" + v.asText()
              + "' is not an ISO-8601 instant (write e.g. 2026-10-01T00:00:00Z)");
        }
      }
    }

    private static String firstLine(String s) {
      if (s == null) {
        return "";
      }
      int i = s.indexOf('\n');
      return i < 0 ? s : s.substring(0, i);
    }
  }
}
