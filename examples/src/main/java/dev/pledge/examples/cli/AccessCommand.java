package dev.pledge.examples.cli;

import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.time.Durations;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessDeniedException;
import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.Granted;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.StoredGrant;
import dev.pledge.security.access.TargetLogin;
import dev.pledge.security.aws.AwsConnection;
import dev.pledge.security.aws.IamAccessTarget;
import dev.pledge.security.store.DataSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge access}: just-in-time access on real systems (P14-P21), over {@link AccessBroker}
 * with a shared {@link AccessStore} and database targets.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = "Just-in-time access on real systems (P14-P21): enrol, grant, revoke, offboard, expire, list, drift.",
    subcommands = {AccessCommand.Enrol.class, AccessCommand.Grant.class, AccessCommand.Revoke.class,
        AccessCommand.Offboard.class, AccessCommand.Expire.class, AccessCommand.ListGrants.class,
        AccessCommand.Drift.class})
final class AccessCommand implements Runnable {
  /** The prefix of every login the command line makes on a target. */
  static final String LOGIN_PREFIX = "pledge_";

  @Override
  public void run() {
    throw CliException.badInput("access needs a subcommand: enrol, grant, revoke, offboard, expire, list or drift");
  }

  /** A data source for a {@code jdbc:} URL whose driver is on the class path; bad input otherwise. */
  static javax.sql.DataSource jdbc(String option, String url) {
    try {
      java.sql.DriverManager.getDriver(url);
    } catch (java.sql.SQLException e) {
      throw CliException.badInput(option + ": no JDBC driver here reads '" + dev.pledge.core.internal.Redaction.location(url)
          + "'; use jdbc:postgresql://..., jdbc:mariadb://... or jdbc:h2:...");
    }
    return DataSources.fromUrl(url);
  }

  /** STORE: {@code file:DIR} or a {@code jdbc:} URL (PostgreSQL, MariaDB, H2). */
  static AccessStore store(String text) {
    if (text.startsWith("file:")) {
      return AccessStore.folder(Path.of(text.substring(5)));
    }
    if (text.startsWith("jdbc:")) {
      return AccessStore.jdbc(jdbc("--store", text));
    }
    throw CliException.badInput("--store: '" + dev.pledge.core.internal.Redaction.location(text) + "' must be file:DIR or jdbc:postgresql://..., jdbc:mariadb://...");
  }

  /**
   * TARGET: {@code postgres:postgresql://user@host:port/db} or {@code mysql:mysql://user@host:port/db};
   * the admin password comes from {@code PGPASSWORD} or {@code MYSQL_PWD}, never the command line.
   */
  static AccessTarget target(String text) {
    if (text.startsWith("iam:")) {
      String endpoint = text.substring(4);
      AwsConnection aws = aws("--target", endpoint.equals("aws") ? null : endpoint);
      return IamAccessTarget.of(aws.iam(), text, LOGIN_PREFIX);
    }
    DatabaseUrl url;
    boolean postgres = text.startsWith("postgres:");
    if (!postgres && !text.startsWith("mysql:")) {
      throw CliException.badInput("--target: '" + text
          + "' must be postgres:postgresql://user@host:port/db, mysql:mysql://user@host:port/db or iam:aws");
    }
    try {
      url = DatabaseUrl.parse(text.substring(text.indexOf(':') + 1));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--target: " + e.getMessage());
    }
    if (postgres != url.scheme().equals("postgresql")) {
      throw CliException.badInput("--target: '" + dev.pledge.core.internal.Redaction.location(text) + "' mixes postgres: with a " + url.scheme() + ":// URL");
    }
    String env = System.getenv(postgres ? "PGPASSWORD" : "MYSQL_PWD");
    Secret password = env == null || env.isEmpty() ? null : Secret.ofUtf8(env);
    String jdbc = (postgres ? "jdbc:postgresql://" : "jdbc:mariadb://") + url.host() + ":" + url.port() + "/"
        + url.database();
    javax.sql.DataSource ds = DataSources.fromUrl(jdbc, url.user(), password);
    return postgres ? AccessTarget.postgres(ds, text, LOGIN_PREFIX) : AccessTarget.mariadb(ds, text, LOGIN_PREFIX);
  }

  /**
   * How the command line reaches AWS: the SDK's default credential chain, the region from
   * {@code AWS_REGION} (default us-east-1), and {@code endpoint} (an http or https URL) instead of
   * the region's when not null.
   */
  static AwsConnection aws(String option, String endpoint) {
    AwsConnection.Builder b = AwsConnection.builder();
    String region = System.getenv("AWS_REGION");
    try {
      if (region != null && !region.isBlank()) {
        b.region(region);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("AWS_REGION: " + e.getMessage());
    }
    if (endpoint != null) {
      java.net.URI u;
      try {
        u = java.net.URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        u = null;
      }
      if (u == null || u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw CliException.badInput(option + ": '" + endpoint + "' must be an http:// or https:// URL (or iam:aws "
            + "for AWS's own endpoint)");
      }
      b.endpoint(u);
    }
    return b.build();
  }

  /**
   * The audit trail: {@code --audit FILE}; else {@code DIR/audit.jsonl} beside a folder store; else the
   * policy's {@code audit} section; else, for a database store, a trail in that same database. Nothing
   * these commands do goes unrecorded.
   */
  static AuditTrail audit(CommonOptions options, Path audit, String store) {
    if (audit != null) {
      return AuditTrail.jsonLines(audit);
    }
    if (store.startsWith("file:")) {
      return AuditTrail.jsonLines(Path.of(store.substring(5)).resolve("audit.jsonl"));
    }
    if (options.loadPolicy().section(AuditPolicy.class).isPresent()) {
      return BackupCommand.auditTrail(options, null);
    }
    return BackupCommand.auditTrail(options, store);
  }

  /** Options every subcommand shares. */
  static final class Shared {
    @Mixin CommonOptions options;
    @Option(names = "--store", required = true, paramLabel = "STORE",
        description = "file:DIR or jdbc:postgresql://..., jdbc:mariadb://... (shared by every node)")
    String store;
    @Option(names = "--audit", paramLabel = "FILE",
        description = "Append audit records (JSON Lines) to FILE (default: DIR/audit.jsonl for a file: store, else the "
            + "policy's audit section, else a trail in the store's own database).")
    Path audit;

    /** A broker on the store, reaching {@code targets} and the targets its grants name. */
    AccessBroker broker(List<String> extraTargets) {
      AccessPolicy policy = options.loadPolicy().require(AccessPolicy.class);
      AccessStore s = store(store);
      Set<String> names = new LinkedHashSet<>(extraTargets);
      try {
        for (StoredGrant g : s.grants()) {
          names.addAll(g.grant().targets());
        }
      } catch (PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
      AccessBroker.Builder b = AccessBroker.builder(policy).clock(options.clock()).store(s)
          .audit(audit(options, audit, store)).node("cli-" + ProcessHandle.current().pid());
      names.forEach(n -> b.target(target(n)));
      return b.build();
    }
  }

  /** {@code pledge access enrol}. */
  @Command(name = "enrol", mixinStandardHelpOptions = true, description = "Enrol a person with their own account (P16, P19).")
  static final class Enrol implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--account", required = true, paramLabel = "A") String account;
    @Option(names = "--name", required = true, paramLabel = "N") String name;
    @Option(names = "--employment", required = true, paramLabel = "employee|contractor") Person.Employment employment;

    Enrol(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AccessBroker broker = shared.broker(List.of());
      try {
        broker.enrol(new Person(account, name, employment));
      } catch (IllegalArgumentException e) {
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      }
      io.out().println(shared.options.json() ? CommonOptions.toJson(Map.of("account", account, "enrolled", true))
          : "enrolled " + account + " (" + name + ", " + employment.name().toLowerCase(java.util.Locale.ROOT) + ")");
      return PledgeCli.OK;
    }
  }

  /** {@code pledge access grant}. */
  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Grant a role for a reason and a time; with --target, a login on that server that stops working "
          + "when the grant ends. Its password is printed once (P15-P17).")
  static final class Grant implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--account", required = true, paramLabel = "A") String account;
    @Option(names = "--role", required = true, paramLabel = "R") String role;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; for a production role, the incident (INC-7).")
    String reason;
    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long, such as 2h.")
    String duration;
    @Option(names = "--approver", paramLabel = "B", description = "Who approves; not the requester.") String approver;
    @Option(names = "--resource", paramLabel = "R", defaultValue = "*",
        description = "What the grant reaches (default: ${DEFAULT-VALUE}).") String resource;
    @Option(names = "--target", paramLabel = "TARGET",
        description = "postgres:postgresql://user@host:port/db or mysql:mysql://user@host:port/db (the admin password "
            + "from PGPASSWORD or MYSQL_PWD), or iam:aws for an IAM user per grant in the role's IAM group "
            + "(iam:https://ENDPOINT for another endpoint; AWS credentials from the SDK's default chain, region from "
            + "AWS_REGION).") List<String> targets = new ArrayList<>();

    Grant(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      Duration d;
      try {
        d = Durations.parsePositive(duration);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--for: " + e.getMessage());
      }
      AccessBroker broker = shared.broker(targets);
      if (reason == null || reason.isBlank()) {
        io.err().println("pledge: refused: a grant needs a reason (for a production role, the incident, such as INC-7)");
        return PledgeCli.NEGATIVE;
      }
      AccessPolicy.Role r = broker.policy().role(role).orElseThrow(() -> CliException.badInput("--role: unknown role '"
          + role + "' (the policy defines " + broker.policy().roles().stream().map(AccessPolicy.Role::name).toList()
          + ")"));
      Granted granted;
      try {
        if (r.production()) {
          granted = broker.grant(account, role, resource, reason, d, approver, targets);
        } else {
          if (!targets.isEmpty()) {
            throw CliException.badInput("--target: role '" + role + "' does not reach production data; only "
                + "production roles become database logins");
          }
          AccessGrant g = broker.assign(account, role, reason, shared.options.clock().instant().plus(d));
          granted = new Granted(g, List.of());
        }
      } catch (AccessDeniedException e) {
        io.err().println("pledge: refused: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      } catch (PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
      print(granted);
      return PledgeCli.OK;
    }

    private void print(Granted granted) {
      AccessGrant g = granted.grant();
      if (shared.options.json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("grant", g.id());
        out.put("until", g.until().toString());
        if (granted.logins().size() == 1) {
          TargetLogin l = granted.logins().get(0);
          out.put("username", l.username());
          out.put("password", l.password().utf8());
        } else if (!granted.logins().isEmpty()) {
          List<Map<String, String>> logins = new ArrayList<>();
          for (TargetLogin l : granted.logins()) {
            logins.add(Map.of("target", l.target(), "username", l.username(), "password", l.password().utf8()));
          }
          out.put("logins", logins);
        }
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(g.id());
        for (TargetLogin l : granted.logins()) {
          io.out().println(l.target() + " username " + l.username() + " password " + l.password().utf8()
              + " until " + l.until() + " (shown once)");
        }
      }
      granted.logins().forEach(l -> l.password().destroy());
    }
  }

  /** {@code pledge access revoke}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "End a grant now, on every target (P17).")
  static final class Revoke implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--grant", required = true, paramLabel = "ID") String grant;
    @Option(names = "--by", paramLabel = "B", defaultValue = "operator", description = "Who revokes (default: ${DEFAULT-VALUE}).")
    String by;

    Revoke(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AccessBroker broker = shared.broker(List.of());
      if (broker.store().grant(grant).isEmpty()) {
        throw CliException.badInput("--grant: no grant '" + grant + "' in " + shared.store);
      }
      boolean ended = broker.revoke(grant, by);
      if (shared.options.json()) {
        io.out().println(CommonOptions.toJson(Map.of("grant", grant, "revoked", ended)));
      } else {
        io.out().println(ended ? "revoked " + grant : grant + " was no longer active");
      }
      return ended ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  /** {@code pledge access offboard}. */
  @Command(name = "offboard", mixinStandardHelpOptions = true,
      description = "A person leaves: end every grant, on every target, and close the account for good (P18).")
  static final class Offboard implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--account", required = true, paramLabel = "A") String account;
    @Option(names = "--by", paramLabel = "B", defaultValue = "operator", description = "Who offboards (default: ${DEFAULT-VALUE}).")
    String by;

    Offboard(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AccessBroker broker = shared.broker(List.of());
      List<AccessGrant> removed;
      try {
        removed = broker.offboard(account, by);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--account: " + e.getMessage());
      }
      if (shared.options.json()) {
        io.out().println(CommonOptions.toJson(Map.of("account", account,
            "grantsEnded", removed.stream().map(AccessGrant::id).toList())));
      } else {
        io.out().println("offboarded " + account + ": " + removed.size() + " grant(s) ended");
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge access expire}. */
  @Command(name = "expire", mixinStandardHelpOptions = true,
      description = "End every grant past its end, on every target; safe to run from every node (P15, P17).")
  static final class Expire implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    Expire(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      List<AccessGrant> ended = shared.broker(List.of()).expire();
      if (shared.options.json()) {
        io.out().println(CommonOptions.toJson(Map.of("expired", ended.stream().map(AccessGrant::id).toList())));
      } else {
        io.out().println(ended.size() + " grant(s) expired" + (ended.isEmpty() ? ""
            : ": " + String.join(", ", ended.stream().map(AccessGrant::id).toList())));
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge access drift}. */
  @Command(name = "drift", mixinStandardHelpOptions = true,
      description = "Measure what the targets hold against the active grants: logins nobody granted, who holds complete "
          + "administrative access. Recorded in the audit trail, where the compliance report reads it for P21; exit 1 "
          + "when a target holds more than the grants give or cannot be read.")
  static final class Drift implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;
    @Option(names = "--target", paramLabel = "TARGET",
        description = "A target to measure besides those the grants name, as for grant.") List<String> targets =
        new ArrayList<>();

    Drift(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      dev.pledge.security.access.AccessDrift drift = shared.broker(targets).drift();
      if (shared.options.json()) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (dev.pledge.security.access.AccessDrift.Target t : drift.targets()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("target", t.target());
          m.put("administrators", t.administrators());
          m.put("orphans", t.orphans());
          m.put("missing", t.missing());
          if (t.error() != null) {
            m.put("error", t.error());
          }
          out.add(m);
        }
        io.out().println(CommonOptions.toJson(Map.of("at", drift.at().toString(), "targets", out,
            "findings", drift.findings())));
      } else {
        drift.targets().forEach(t -> io.out().println("target " + t.target() + (t.error() != null
            ? ": cannot be read: " + t.error() : ": administrators " + t.administrators() + ", " + t.orphans().size()
                + " login(s) nobody granted, " + t.missing().size() + " granted login(s) missing")));
        drift.findings().forEach(f -> io.out().println("finding " + f));
        io.out().println(drift.targets().size() + " target(s) measured at " + drift.at() + (drift.clean() ? ", no drift"
            : ", " + drift.findings().size() + " finding(s)"));
      }
      return drift.clean() ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  /** {@code pledge access list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List people and grants.")
  static final class ListGrants implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    ListGrants(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AccessBroker broker = shared.broker(List.of());
      java.time.Instant now = shared.options.clock().instant();
      List<Map<String, Object>> grants = new ArrayList<>();
      for (StoredGrant s : broker.grants()) {
        AccessGrant g = s.grant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grant", g.id());
        m.put("account", g.account());
        m.put("role", g.role());
        m.put("resource", g.resource());
        m.put("reason", g.reason());
        m.put("from", g.from().toString());
        m.put("until", g.until().toString());
        m.put("status", s.inForceAt(now) ? "active" : s.status().name().toLowerCase(java.util.Locale.ROOT)
            .replace("active", "past end"));
        if (g.approver() != null) {
          m.put("approver", g.approver());
        }
        if (!g.targets().isEmpty()) {
          m.put("targets", g.targets());
        }
        grants.add(m);
      }
      List<Map<String, Object>> people = new ArrayList<>();
      broker.people().forEach(p -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", p.account());
        m.put("name", p.person().name());
        m.put("employment", p.person().employment().name().toLowerCase(java.util.Locale.ROOT));
        if (p.departedAt() != null) {
          m.put("departed", p.departedAt().toString());
        }
        people.add(m);
      });
      if (shared.options.json()) {
        io.out().println(CommonOptions.toJson(Map.of("people", people, "grants", grants)));
      } else {
        people.forEach(p -> io.out().println("person " + p.get("account") + " " + p.get("name") + " ("
            + p.get("employment") + (p.containsKey("departed") ? ", left " + p.get("departed") : "") + ")"));
        grants.forEach(g -> io.out().println("grant " + g.get("grant") + " " + g.get("account") + " " + g.get("role")
            + " on " + g.get("resource") + " until " + g.get("until") + " [" + g.get("status") + "] "
            + g.get("reason")));
      }
      return PledgeCli.OK;
    }
  }
}
