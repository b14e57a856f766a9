package dev.pledge.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.BackupKind;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.Decision;
import dev.pledge.backup.retention.RetentionException;
import dev.pledge.backup.retention.RetentionPlan;
import dev.pledge.backup.retention.RetentionPlanner;
import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.backup.retention.RetentionRules;
import dev.pledge.backup.retention.Semantics;
import dev.pledge.core.internal.Json;
import dev.pledge.core.time.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pledge retention}: Plan which backups to keep, archive to Glacier or delete (P9, P11, P12). */
@Command(name = "retention", mixinStandardHelpOptions = true,
    description = "Plan which backups to keep, archive to Glacier or delete (P9, P11, P12).",
    subcommands = RetentionCommand.Plan.class)
final class RetentionCommand implements Runnable {
  private final Io io;

  RetentionCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("retention: a subcommand is required; see 'pledge retention --help'");
  }

  /** {@code pledge retention plan --backups FILE [...]}. */
  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = {"Decide keep, archive (cold storage) or delete for every backup in FILE, and why.",
          "FILE is JSON Lines: {\"id\": \"...\", \"time\": \"2026-11-01T06:30:00Z\"} with optional "
              + "\"kind\" (full, incremental, log), \"parent\" (id) and \"size\" (bytes).",
          "Without keep flags the rules come from the policy document. keep + archive is what "
              + "restic/borg would keep with --semantics restic/borg.",
          "Exit 0 with a plan; 1 when the plan is refused because it would break restore coverage; "
              + "2 on bad input."})
  static final class Plan implements Callable<Integer> {
    private static final Set<String> FIELDS = Set.of("id", "time", "kind", "parent", "size");
    private final Io io;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--backups", required = true, paramLabel = "FILE", description = "The backups, as JSON Lines.")
    Path backups;

    @Option(names = "--semantics", paramLabel = "pledge|restic|borg",
        description = "How the rules are read (default: the policy's, pledge).")
    String semantics;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest backups.")
    Integer keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep one backup per hour for N hours.")
    Integer keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep one backup per day for N days.")
    Integer keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep one backup per ISO week for N weeks.")
    Integer keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep one backup per month for N months.")
    Integer keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep one backup per year for N years.")
    Integer keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION",
        description = "Keep every backup newer than this (7d, 36 hours, PT12H).")
    String keepWithin;

    Plan(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      RetentionPolicy policy = options.loadPolicy().section(RetentionPolicy.class)
          .orElseGet(RetentionPolicy::defaults);
      RetentionPlanner.Builder builder = RetentionPlanner.builder(policy).clock(options.clock());
      if (spec.commandLine().getParseResult().hasMatchedOption("--zone")) {
        builder.zone(options.zone());
      }
      if (semantics != null) {
        try {
          builder.semantics(Semantics.parse(semantics));
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--semantics: " + e.getMessage());
        }
      }
      RetentionRules flags = flagRules();
      if (flags != null) {
        builder.rules(flags);
      }
      List<BackupRecord> list = read(backups);
      RetentionPlan plan;
      try {
        plan = builder.build().plan(list);
      } catch (RetentionException e) {
        if (options.json()) {
          ObjectNode out = Json.mapper().createObjectNode();
          out.put("refused", e.getMessage());
          io.out().println(CommonOptions.toJson(out));
        }
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      }
      for (String w : plan.warnings()) {
        io.err().println("pledge: warning: " + w);
      }
      if (options.json()) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (Decision d : Decision.values()) {
          ArrayNode arr = out.putArray(d.label());
          for (BackupDecision bd : plan.with(d)) {
            ObjectNode o = arr.addObject();
            o.put("id", bd.backup().id());
            o.put("time", bd.backup().time().toString());
            ArrayNode reasons = o.putArray("reasons");
            bd.reasons().forEach(reasons::add);
          }
        }
        io.out().println(CommonOptions.toJson(out));
      } else {
        for (BackupDecision bd : plan.decisions()) {
          io.out().printf("%-7s %-24s %s  %s%n", bd.decision().label(), bd.backup().id(),
              bd.backup().time(), String.join("; ", bd.reasons()));
        }
        io.out().printf("# %d keep, %d archive, %d delete%n", plan.keep().size(), plan.archive().size(),
            plan.delete().size());
      }
      return PledgeCli.OK;
    }

    private RetentionRules flagRules() {
      if (keepLast == null && keepHourly == null && keepDaily == null && keepWeekly == null
          && keepMonthly == null && keepYearly == null && keepWithin == null) {
        return null;
      }
      Duration within = null;
      if (keepWithin != null) {
        try {
          within = Durations.parsePositive(keepWithin);
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--keep-within: " + e.getMessage());
        }
      }
      return new RetentionRules(count("--keep-last", keepLast), count("--keep-hourly", keepHourly),
          count("--keep-daily", keepDaily), count("--keep-weekly", keepWeekly),
          count("--keep-monthly", keepMonthly), count("--keep-yearly", keepYearly), within);
    }

    private static int count(String flag, Integer n) {
      if (n == null) {
        return 0;
      }
      if (n < 1) {
        throw CliException.badInput(flag + " must be at least 1, got " + n);
      }
      return n;
    }

    /** Reads JSON Lines; every error names the file, the line and the field. */
    static List<BackupRecord> read(Path file) {
      List<BackupRecord> out = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
          no++;
          if (line.isBlank()) {
            continue;
          }
          String where = file + ":" + no + ": ";
          JsonNode node;
          try {
            node = Json.mapper().readTree(line);
          } catch (JsonProcessingException e) {
            throw CliException.badInput(where + "not a JSON object: " + e.getOriginalMessage());
          }
          if (node == null || !node.isObject()) {
            throw CliException.badInput(where + "expected a JSON object such as "
                + "{\"id\": \"b1\", \"time\": \"2026-11-01T06:30:00Z\"}");
          }
          for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
              throw CliException.badInput(where + "field '" + f + "': unknown field (expected id, time, kind, parent, size)");
            }
          }
          String id = text(node, "id", where, true);
          String timeText = text(node, "time", where, true);
          Instant time;
          try {
            time = CommonOptions.parseInstant("time", timeText);
          } catch (CliException e) {
            throw CliException.badInput(where + "field 'time': '" + timeText
                + "' is not an ISO-8601 instant (write e.g. 2026-11-01T06:30:00Z)");
          }
          String kindText = text(node, "kind", where, false);
          BackupKind kind;
          try {
            kind = kindText == null ? BackupKind.FULL : BackupKind.parse(kindText);
          } catch (IllegalArgumentException e) {
            throw CliException.badInput(where + "field 'kind': " + e.getMessage());
          }
          String parent = text(node, "parent", where, false);
          long size = -1;
          JsonNode s = node.get("size");
          if (s != null) {
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
              throw CliException.badInput(where + "field 'size': expected a whole number of bytes, got " + s);
            }
            size = s.asLong();
          }
          Integer before = seen.put(id, no);
          if (before != null) {
            throw CliException.badInput(where + "field 'id': '" + id + "' already appears on line " + before);
          }
          try {
            out.add(new BackupRecord(id, time, kind, parent, size, null));
          } catch (IllegalArgumentException e) {
            throw CliException.badInput(where + e.getMessage());
          }
        }
      } catch (NoSuchFileException e) {
        throw CliException.badInput(file + ": no such file");
      } catch (IOException e) {
        throw CliException.badInput(file + ": cannot read: " + Io.problem(e));
      }
      return out;
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw CliException.badInput(where + "field '" + field + "': missing");
        }
        return null;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw CliException.badInput(where + "field '" + field + "': expected a non-empty string, got " + v);
      }
      return v.asText();
    }
  }
}
