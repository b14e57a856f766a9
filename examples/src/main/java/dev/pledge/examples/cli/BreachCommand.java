package dev.pledge.examples.cli;

import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.DatastoreCredential;
import dev.pledge.security.breach.DatastoreRotation;
import dev.pledge.security.breach.SecretSink;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge breach}: the breach protocol journaled in a store (P28-P32). The command line carries
 * out the data-store rotation (P31) for the logins named with {@code --rotate}; each other step is
 * journaled as not configured, so a drill or response from here shows exactly which steps a
 * deployment still lacks. Exit 0 when the run was complete, 1 when it was not.
 */
@Command(name = "breach", mixinStandardHelpOptions = true,
    description = "The breach protocol (P28-P32), journaled: drill, respond (resumes an interrupted response), status.",
    subcommands = {BreachCommand.Drill.class, BreachCommand.Respond.class, BreachCommand.Status.class})
final class BreachCommand implements Runnable {

  @Override
  public void run() {
    throw CliException.badInput("breach needs a subcommand: drill, respond or status");
  }

  /** STORE as for {@code access}: {@code file:DIR} or a {@code jdbc:} URL. */
  static BreachJournal journal(String text) {
    if (text.startsWith("file:")) {
      return BreachJournal.folder(Path.of(text.substring(5)));
    }
    if (text.startsWith("jdbc:")) {
      return BreachJournal.jdbc(AccessCommand.jdbc("--journal", text));
    }
    throw CliException.badInput("--journal: '" + dev.pledge.core.internal.Redaction.location(text) + "' must be file:DIR or jdbc:postgresql://..., jdbc:mariadb://...");
  }

  /** CRED of {@code --rotate}; see its description. */
  static DatastoreCredential credential(String text) {
    int hash = text.lastIndexOf('#');
    if (hash < 0 || hash == text.length() - 1) {
      throw CliException.badInput("--rotate: '" + text + "' must end in #login, the login whose password changes");
    }
    String login = text.substring(hash + 1);
    String base = text.substring(0, hash);
    try {
      if (base.startsWith("redis:")) {
        java.net.URI u = java.net.URI.create(base.substring("redis:".length()));
        if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
          throw CliException.badInput("--rotate: '" + text + "' must be redis:redis://host:port#user");
        }
        String auth = System.getenv("REDISCLI_AUTH");
        return DatastoreCredential.redis(text, new java.net.InetSocketAddress(u.getHost(), u.getPort() < 0 ? 6379
            : u.getPort()), u.getUserInfo(), auth == null || auth.isEmpty() ? null : Secret.ofUtf8(auth), login);
      }
      boolean postgres = base.startsWith("postgres:");
      if (!postgres && !base.startsWith("mysql:")) {
        throw CliException.badInput("--rotate: '" + text
            + "' must start with postgres:postgresql://, mysql:mysql:// or redis:redis://");
      }
      DatabaseUrl url = DatabaseUrl.parse(base.substring(base.indexOf(':') + 1));
      String env = System.getenv(postgres ? "PGPASSWORD" : "MYSQL_PWD");
      Secret pw = env == null || env.isEmpty() ? null : Secret.ofUtf8(env);
      DriverManagerDataSource ds = DriverManagerDataSource.of((postgres ? "jdbc:postgresql://" : "jdbc:mariadb://")
          + url.host() + ":" + url.port() + "/" + url.database(), url.user(), pw);
      if (postgres) {
        return DatastoreCredential.postgres(text, ds, login);
      }
      int at = login.indexOf('@');
      return DatastoreCredential.mariadb(text, ds, at < 0 ? login : login.substring(0, at),
          at < 0 ? "%" : login.substring(at + 1));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--rotate: " + e.getMessage());
    }
  }

  /** Options every subcommand shares. */
  static final class Shared {
    @Mixin CommonOptions options;
    @Option(names = "--journal", required = true, paramLabel = "STORE",
        description = "file:DIR or jdbc:postgresql://..., jdbc:mariadb://...")
    String journal;
    @Option(names = "--audit", paramLabel = "FILE",
        description = "Append audit records (JSON Lines) to FILE (default: DIR/audit.jsonl for a file: journal).")
    Path audit;
    @Option(names = "--rotate", paramLabel = "CRED",
        description = "A data-store login whose password the P31 step changes: postgres:postgresql://admin@host:port/db#login,"
            + " mysql:mysql://admin@host:port/db#login[@host], redis:redis://host:port#user (admin passwords from "
            + "PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH).")
    List<String> rotate = new ArrayList<>();
    @Option(names = "--secrets", paramLabel = "DIR",
        description = "Where new secrets are written, one 0600 file each (needed with --rotate).")
    Path secrets;

    BreachRunbook runbook() {
      BreachPolicy policy = options.loadPolicy().section(BreachPolicy.class).orElse(BreachPolicy.defaults());
      try {
        BreachRunbook.Builder b = BreachRunbook.builder(policy).clock(options.clock()).journal(journal(journal))
            .audit(AccessCommand.audit(audit, journal));
        if (!rotate.isEmpty()) {
          if (secrets == null) {
            throw CliException.badInput("--rotate needs --secrets DIR, where the new passwords are written");
          }
          List<DatastoreCredential> creds = new ArrayList<>();
          for (String r : rotate) {
            creds.add(credential(r));
          }
          b.action(StepKind.ROTATE_DATASTORE_CREDENTIALS, DatastoreRotation.of(SecretSink.folder(secrets), creds));
        }
        return b.build();
      } catch (PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
    }

    Map<String, Object> describe(BreachReport r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("incident", r.incident().id());
      m.put("drill", r.incident().drill());
      m.put("detectedAt", r.incident().detectedAt().toString());
      m.put("complete", r.complete());
      m.put("notifiedInTime", r.notifiedInTime());
      List<Map<String, Object>> steps = new ArrayList<>();
      for (BreachReport.StepResult s : r.steps()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("step", s.step().name());
        sm.put("promise", s.step().promise());
        sm.put("required", s.required());
        sm.put("status", s.status().name());
        sm.put("detail", s.detail());
        steps.add(sm);
      }
      m.put("steps", steps);
      return m;
    }

    int print(Io io, BreachReport r) {
      if (options.json()) {
        io.out().println(CommonOptions.toJson(describe(r)));
      } else {
        io.out().println((r.incident().drill() ? "drill " : "response ") + r.incident().id() + ": "
            + (r.complete() ? "complete" : "incomplete"));
        for (BreachReport.StepResult s : r.steps()) {
          io.out().println("  " + s.step() + " (" + s.step().promise() + (s.required() ? "" : ", optional") + "): "
              + s.status() + (s.detail().isEmpty() ? "" : " - " + s.detail()));
        }
      }
      return r.complete() ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  /** {@code pledge breach drill}. */
  @Command(name = "drill", mixinStandardHelpOptions = true, description = "Rehearse the protocol and journal the drill (P32).")
  static final class Drill implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--id", paramLabel = "ID", description = "The drill's id (default: DRILL- and the time).") String id;

    Drill(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      BreachRunbook runbook = shared.runbook();
      String drillId = id != null ? id : "DRILL-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC).format(shared.options.clock().instant());
      return shared.print(io, runbook.drill(drillId));
    }
  }

  /** {@code pledge breach respond}. */
  @Command(name = "respond", mixinStandardHelpOptions = true,
      description = "Respond to a breach: run every step not yet done for the incident; run again to resume (P28-P31).")
  static final class Respond implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--incident", required = true, paramLabel = "ID") String incident;
    @Option(names = "--detected", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
        description = "When the breach became known (default: now); P28's clock starts here.") Instant detected;
    @Option(names = "--summary", paramLabel = "TEXT", defaultValue = "") String summary;

    Respond(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (incident.isBlank()) {
        throw CliException.badInput("--incident must not be blank");
      }
      BreachRunbook runbook = shared.runbook();
      Instant at = detected != null ? detected : shared.options.clock().instant();
      return shared.print(io, runbook.respond(new BreachIncident(incident, at, summary, false)));
    }
  }

  /** {@code pledge breach status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "The last drill, the next drill due, and open responses with the step each stands at (P32).")
  static final class Status implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    Status(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      BreachRunbook runbook = shared.runbook();
      Map<String, Object> m = new LinkedHashMap<>();
      runbook.lastDrill().ifPresent(t -> m.put("lastDrill", t.toString()));
      m.put("nextDrillDue", runbook.nextDrillDue().toString());
      m.put("drillOverdue", runbook.drillOverdue());
      List<Map<String, Object>> open = new ArrayList<>();
      for (BreachJournal.Entry e : runbook.open()) {
        Map<String, Object> om = new LinkedHashMap<>();
        om.put("incident", e.incident().id());
        om.put("drill", e.incident().drill());
        om.put("detectedAt", e.incident().detectedAt().toString());
        if (!e.incident().drill()) {
          om.put("notifyRegulatorBy", runbook.regulatorDeadline(e.incident()).toString());
        }
        List<BreachReport.StepResult> steps = e.steps();
        om.put("stepsDone", steps.stream().filter(s -> s.status() == BreachReport.StepResult.Status.DONE).count());
        if (!steps.isEmpty()) {
          BreachReport.StepResult last = steps.get(steps.size() - 1);
          om.put("step", last.step().name());
          om.put("stepStatus", last.status().name());
        }
        open.add(om);
      }
      m.put("open", open);
      if (shared.options.json()) {
        io.out().println(CommonOptions.toJson(m));
      } else {
        io.out().println("last drill: " + m.getOrDefault("lastDrill", "none"));
        io.out().println("next drill due: " + m.get("nextDrillDue") + (runbook.drillOverdue() ? " (overdue)" : ""));
        if (open.isEmpty()) {
          io.out().println("no open response");
        }
        for (Map<String, Object> o : open) {
          io.out().println("open " + (Boolean.TRUE.equals(o.get("drill")) ? "drill " : "response ") + o.get("incident")
              + ": " + o.get("stepsDone") + " step(s) done, at " + o.getOrDefault("step", "the start")
              + (o.containsKey("stepStatus") ? " (" + o.get("stepStatus") + ")" : "")
              + (o.containsKey("notifyRegulatorBy") ? "; notify the regulator by " + o.get("notifyRegulatorBy") : ""));
        }
      }
      return PledgeCli.OK;
    }
  }
}
