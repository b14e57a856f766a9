package dev.pledge.examples.cli;

import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.aws.IamKeyRotation;
import dev.pledge.security.aws.SecretsManagerRotation;
import dev.pledge.security.aws.SecretsManagerSink;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.breach.ApiKeyRotation;
import dev.pledge.security.breach.BreachAction;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.Customer;
import dev.pledge.security.breach.DatastoreCredential;
import dev.pledge.security.breach.DatastoreRotation;
import dev.pledge.security.breach.EmailNotification;
import dev.pledge.security.breach.PasswordResetAction;
import dev.pledge.security.breach.SecretSink;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.password.ForcedResets;
import dev.pledge.security.store.DataSources;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge breach}: the breach protocol journaled in a store (P28-P32). The command line carries
 * out the steps it is given the systems for: customer e-mail over SMTP ({@code --notify-smtp}, P28),
 * API-key revocation and reissue ({@code --api-keys}, P29), forced password resets
 * ({@code --force-resets}, P30), cloud access keys through IAM ({@code --iam-user}, P31) and the
 * data-store rotation ({@code --rotate}, or {@code --rotate-secret} staged in AWS Secrets Manager, P31);
 * each other step
 * is journaled as not configured, so a drill or response from here shows exactly which steps a
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
    return credential(text, "--rotate");
  }

  /** CRED of {@code option} ({@code --rotate}, {@code --rotate-secret}); see {@code --rotate}'s description. */
  static DatastoreCredential credential(String text, String option) {
    int hash = text.lastIndexOf('#');
    if (hash < 0 || hash == text.length() - 1) {
      throw CliException.badInput(option + ": '" + text + "' must end in #login, the login whose password changes");
    }
    String login = text.substring(hash + 1);
    String base = text.substring(0, hash);
    try {
      if (base.startsWith("redis:")) {
        java.net.URI u = java.net.URI.create(base.substring("redis:".length()));
        if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
          throw CliException.badInput(option + ": '" + text + "' must be redis:redis://host:port#user");
        }
        String auth = System.getenv("REDISCLI_AUTH");
        return DatastoreCredential.redis(text, new java.net.InetSocketAddress(u.getHost(), u.getPort() < 0 ? 6379
            : u.getPort()), u.getUserInfo(), auth == null || auth.isEmpty() ? null : Secret.ofUtf8(auth), login);
      }
      boolean postgres = base.startsWith("postgres:");
      if (!postgres && !base.startsWith("mysql:")) {
        throw CliException.badInput(option + ": '" + text
            + "' must start with postgres:postgresql://, mysql:mysql:// or redis:redis://");
      }
      DatabaseUrl url = DatabaseUrl.parse(base.substring(base.indexOf(':') + 1));
      String env = System.getenv(postgres ? "PGPASSWORD" : "MYSQL_PWD");
      Secret pw = env == null || env.isEmpty() ? null : Secret.ofUtf8(env);
      javax.sql.DataSource ds = DataSources.fromUrl((postgres ? "jdbc:postgresql://" : "jdbc:mariadb://")
          + url.host() + ":" + url.port() + "/" + url.database(), url.user(), pw);
      if (postgres) {
        return DatastoreCredential.postgres(text, ds, login);
      }
      int at = login.indexOf('@');
      return DatastoreCredential.mariadb(text, ds, at < 0 ? login : login.substring(0, at),
          at < 0 ? "%" : login.substring(at + 1));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(option + ": " + e.getMessage());
    }
  }

  /**
   * The test step of {@code --rotate-secret}: logs in as CRED's login with {@code password}, as an
   * application would (a JDBC connection, or Redis {@code AUTH}).
   */
  static void testLogin(DatastoreCredential credential, Secret password) throws Exception {
    String text = credential.name();
    int hash = text.lastIndexOf('#');
    String login = text.substring(hash + 1);
    String base = text.substring(0, hash);
    if (base.startsWith("redis:")) {
      java.net.URI u = java.net.URI.create(base.substring("redis:".length()));
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        byte[] user = login.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] pw = password.utf8().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream cmd = new java.io.ByteArrayOutputStream();
        cmd.writeBytes(("*3\r\n$4\r\nAUTH\r\n$" + user.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        cmd.writeBytes(user);
        cmd.writeBytes(("\r\n$" + pw.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        cmd.writeBytes(pw);
        cmd.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.Arrays.fill(pw, (byte) 0);
        socket.getOutputStream().write(cmd.toByteArray());
        String reply = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8)).readLine();
        if (reply == null || !reply.startsWith("+OK")) {
          // the server's error names no password (WRONGPASS ...)
          throw new PledgeException("Redis refused AUTH as " + login + ": " + reply);
        }
      }
      return;
    }
    boolean postgres = base.startsWith("postgres:");
    DatabaseUrl url = DatabaseUrl.parse(base.substring(base.indexOf(':') + 1));
    int at = login.indexOf('@');
    String user = postgres || at < 0 ? login : login.substring(0, at);
    javax.sql.DataSource ds = DataSources.fromUrl((postgres ? "jdbc:postgresql://" : "jdbc:mariadb://")
        + url.host() + ":" + url.port() + "/" + url.database(), user, password);
    try (java.sql.Connection c = ds.getConnection()) {
      if (!c.isValid(10)) {
        throw new PledgeException("the connection as " + user + " is not usable");
      }
    } catch (java.sql.SQLException e) {
      throw new PledgeException("cannot log in as " + user + ": " + e.getMessage());
    }
  }

  /** Options every subcommand shares. */
  static final class Shared {
    @Mixin CommonOptions options;
    @Option(names = "--journal", required = true, paramLabel = "STORE",
        description = "file:DIR or jdbc:postgresql://..., jdbc:mariadb://...")
    String journal;
    @Option(names = "--audit", paramLabel = "FILE",
        description = "Append audit records (JSON Lines) to FILE (default: DIR/audit.jsonl for a file: journal, else the "
            + "policy's audit section, else a trail in the journal's own database).")
    Path audit;
    @Option(names = "--rotate", paramLabel = "CRED",
        description = "A data-store login whose password the P31 step changes: postgres:postgresql://admin@host:port/db#login,"
            + " mysql:mysql://admin@host:port/db#login[@host], redis:redis://host:port#user (admin passwords from "
            + "PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH).")
    List<String> rotate = new ArrayList<>();
    @Option(names = "--rotate-secret", paramLabel = "CRED=SECRET",
        description = "A data-store login (CRED as for --rotate) whose password the applications read from the AWS "
            + "Secrets Manager secret SECRET (name or ARN), rotated in Secrets Manager's stages: a new version "
            + "labelled AWSPENDING (only the password field changes in a JSON secret), the login set to it, tested by "
            + "logging in with it, then AWSCURRENT (the old version becomes AWSPREVIOUS). A resumed response reuses "
            + "the pending version. A drill reads the secret and rehearses the login with a probe. Needs no --secrets; "
            + "region from AWS_REGION; --aws-endpoint applies.")
    List<String> rotateSecret = new ArrayList<>();
    @Option(names = "--secrets", paramLabel = "DIR",
        description = "Where new secrets are written (needed with --rotate, --api-keys and --iam-user): DIR, one 0600 "
            + "file each, or secretsmanager:PREFIX, one AWS Secrets Manager secret each, named PREFIX and the secret's "
            + "name (region from AWS_REGION; --aws-endpoint applies).")
    String secrets;
    @Option(names = "--notify-smtp", paramLabel = "HOST:PORT",
        description = "P28: e-mail every customer of --customers through this SMTP server, STARTTLS required "
            + "(log in with --smtp-user; its password from SMTP_PASSWORD). A drill connects and sends nothing.")
    String notifySmtp;
    @Option(names = "--notify-from", paramLabel = "ADDRESS", description = "The sender of the notifications (with --notify-smtp).")
    String notifyFrom;
    @Option(names = "--customers", paramLabel = "FILE",
        description = "The customers to notify: one a line, id,email,name (blank lines and # comments skipped).")
    Path customers;
    @Option(names = "--smtp-user", paramLabel = "USER", description = "SMTP login; the password comes from SMTP_PASSWORD.")
    String smtpUser;
    @Option(names = "--smtp-no-tls",
        description = "Send without STARTTLS: only to a server on this host (127.0.0.1, ::1, localhost).")
    boolean smtpNoTls;
    @Option(names = "--notify-log", paramLabel = "DIR",
        description = "Where who was notified is logged, so a resumed response writes only to the others "
            + "(default: the journal's folder for a file: journal).")
    Path notifyLog;
    @Option(names = "--api-keys", paramLabel = "JDBC_URL",
        description = "P29: revoke every API key in this store and issue each owner a new one into --secrets "
            + "(jdbc:postgresql://..., jdbc:mariadb://..., jdbc:h2:...). A drill issues, verifies and revokes a probe key.")
    String apiKeys;
    @Option(names = "--api-key-table", paramLabel = "TABLE", defaultValue = "pledge_api_keys",
        description = "The API keys' table (default: ${DEFAULT-VALUE}).")
    String apiKeyTable;
    @Option(names = "--api-key-prefix", paramLabel = "PREFIX", defaultValue = "pk",
        description = "The prefix of the keys issued (default: ${DEFAULT-VALUE}).")
    String apiKeyPrefix;
    @Option(names = "--force-resets", paramLabel = "JDBC_URL",
        description = "P30: every client password set before the breach must be changed at the next login; "
            + "recorded in this store. A drill forces a reset on a probe account only.")
    String forceResets;
    @Option(names = "--reset-table", paramLabel = "TABLE", defaultValue = "pledge_forced_resets",
        description = "The forced resets' table (default: ${DEFAULT-VALUE}).")
    String resetTable;
    @Option(names = "--iam-user", paramLabel = "USER",
        description = "P31: an IAM user whose access keys are deactivated, deleted and replaced by one new key, "
            + "written to --secrets as JSON. AWS credentials from the SDK's default chain (AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY, a profile, an instance role). A drill creates, deactivates and deletes a probe key.")
    List<String> iamUsers = new ArrayList<>();
    @Option(names = "--aws-endpoint", paramLabel = "URL",
        description = "Another IAM or Secrets Manager endpoint than AWS's (a VPC endpoint); the region comes from "
            + "AWS_REGION (default us-east-1).")
    String awsEndpoint;

    BreachRunbook runbook() {
      BreachPolicy policy = options.loadPolicy().section(BreachPolicy.class).orElse(BreachPolicy.defaults());
      try {
        AuditTrail trail = AccessCommand.audit(options, audit, journal);
        BreachRunbook.Builder b = BreachRunbook.builder(policy).clock(options.clock()).journal(journal(journal))
            .audit(trail);
        if (!rotate.isEmpty()) {
          if (secrets == null) {
            throw CliException.badInput("--rotate needs --secrets DIR, where the new passwords are written");
          }
          List<DatastoreCredential> creds = new ArrayList<>();
          for (String r : rotate) {
            creds.add(credential(r));
          }
          b.action(StepKind.ROTATE_DATASTORE_CREDENTIALS, DatastoreRotation.of(sink(), creds));
        }
        if (!rotateSecret.isEmpty()) {
          BreachAction staged = stagedRotation();
          BreachAction plain = rotate.isEmpty() ? null : DatastoreRotation.of(sink(), rotateCredentials());
          b.action(StepKind.ROTATE_DATASTORE_CREDENTIALS, plain == null ? staged : both(plain, staged));
        }
        if (notifySmtp != null || customers != null || notifyFrom != null) {
          b.action(StepKind.NOTIFY_CUSTOMERS, notification());
        }
        if (apiKeys != null) {
          if (secrets == null) {
            throw CliException.badInput("--api-keys needs --secrets DIR, where the new keys are written");
          }
          ApiKeys keys;
          try {
            keys = ApiKeys.builder(ApiKeyStore.jdbc(AccessCommand.jdbc("--api-keys", apiKeys), apiKeyTable))
                .prefix(apiKeyPrefix).clock(options.clock()).audit(trail).build();
          } catch (IllegalArgumentException e) {
            throw CliException.badInput("--api-keys: " + e.getMessage());
          }
          b.action(StepKind.REVOKE_EXTERNAL_KEYS, ApiKeyRotation.of(keys, sink()));
        }
        if (forceResets != null) {
          try {
            b.action(StepKind.FORCE_PASSWORD_RESET,
                PasswordResetAction.of(ForcedResets.jdbc(AccessCommand.jdbc("--force-resets", forceResets), resetTable)));
          } catch (IllegalArgumentException e) {
            throw CliException.badInput("--force-resets: " + e.getMessage());
          }
        }
        if (!iamUsers.isEmpty()) {
          if (secrets == null) {
            throw CliException.badInput("--iam-user needs --secrets DIR, where the new access keys are written");
          }
          try {
            b.action(StepKind.RESET_CLOUD_CREDENTIALS, IamKeyRotation.of(AccessCommand.aws("--aws-endpoint",
                awsEndpoint).iam(), sink(), iamUsers));
          } catch (IllegalArgumentException e) {
            throw CliException.badInput("--iam-user: " + e.getMessage());
          }
        } else if (awsEndpoint != null && rotateSecret.isEmpty()
            && (secrets == null || !secrets.startsWith("secretsmanager:"))) {
          throw CliException.badInput("--aws-endpoint is for --iam-user, --rotate-secret and --secrets "
              + "secretsmanager:PREFIX");
        }
        return b.build();
      } catch (PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
    }

    private List<DatastoreCredential> rotateCredentials() {
      List<DatastoreCredential> creds = new ArrayList<>();
      for (String r : rotate) {
        creds.add(credential(r));
      }
      return creds;
    }

    /** {@code --rotate-secret CRED=SECRET}: the staged rotation through Secrets Manager. */
    private BreachAction stagedRotation() {
      SecretsManagerRotation.Builder rb;
      try {
        rb = SecretsManagerRotation.builder(AccessCommand.aws("--aws-endpoint", awsEndpoint).secretsManager());
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--aws-endpoint: " + e.getMessage());
      }
      Set<String> seen = new java.util.HashSet<>();
      for (String r : rotateSecret) {
        // CRED holds no '=', a secret's name may
        int eq = r.indexOf('=');
        if (eq <= 0 || eq == r.length() - 1) {
          throw CliException.badInput("--rotate-secret: '" + dev.pledge.core.internal.Redaction.location(r)
              + "' must be CRED=SECRET, such as postgres:postgresql://admin@db:5432/shop#app=prod/shop/app");
        }
        String cred = r.substring(0, eq);
        String secretId = r.substring(eq + 1);
        if (!seen.add(secretId)) {
          throw CliException.badInput("--rotate-secret: secret '" + secretId + "' is given twice");
        }
        try {
          rb.credential(credential(cred, "--rotate-secret"), secretId);
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--rotate-secret: " + e.getMessage());
        }
      }
      return rb.tester(BreachCommand::testLogin).build();
    }

    /** Both rotations in one step: each runs, and the step fails when either did. */
    private static BreachAction both(BreachAction first, BreachAction second) {
      return incident -> {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (BreachAction a : List.of(first, second)) {
          try {
            done.add(a.perform(incident));
          } catch (Exception e) {
            failed.add(String.valueOf(e.getMessage()));
          }
        }
        if (!failed.isEmpty()) {
          throw new PledgeException(String.join("; ", failed) + (done.isEmpty() ? "" : "; " + String.join("; ", done)));
        }
        return String.join("; ", done);
      };
    }

    private SecretSink sink;

    /** {@code --secrets}: a folder, or {@code secretsmanager:PREFIX}. */
    SecretSink sink() {
      if (sink == null) {
        if (secrets.startsWith("secretsmanager:")) {
          try {
            sink = SecretsManagerSink.of(AccessCommand.aws("--aws-endpoint", awsEndpoint).secretsManager(),
                secrets.substring("secretsmanager:".length()));
          } catch (IllegalArgumentException e) {
            throw CliException.badInput("--secrets: " + e.getMessage());
          }
        } else {
          sink = SecretSink.folder(Path.of(secrets));
        }
      }
      return sink;
    }

    /** The P28 action from the {@code --notify-*} options. */
    EmailNotification notification() {
      if (notifySmtp == null || customers == null || notifyFrom == null) {
        throw CliException.badInput("--notify-smtp, --notify-from and --customers go together: the server, the sender "
            + "and who to notify");
      }
      int colon = notifySmtp.lastIndexOf(':');
      String host = colon < 0 ? notifySmtp : notifySmtp.substring(0, colon);
      int port;
      try {
        port = colon < 0 ? 587 : Integer.parseInt(notifySmtp.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw CliException.badInput("--notify-smtp: '" + notifySmtp + "' must be HOST:PORT, such as smtp.example.com:587");
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (smtpNoTls && !Set.of("127.0.0.1", "::1", "localhost").contains(host)) {
        throw CliException.badInput("--smtp-no-tls: only a server on this host may be reached without TLS (P22), not '"
            + host + "'");
      }
      Path log = notifyLog;
      if (log == null) {
        if (!journal.startsWith("file:")) {
          throw CliException.badInput("--notify-smtp with a jdbc: journal needs --notify-log DIR, where who was notified "
              + "is logged");
        }
        log = Path.of(journal.substring(5));
      }
      List<Customer> list = readCustomers(customers);
      try {
        EmailNotification.Builder nb = EmailNotification.builder(host, port, notifyFrom).requireTls(!smtpNoTls)
            .customers(() -> list).log(log);
        if (smtpUser != null) {
          String pw = System.getenv("SMTP_PASSWORD");
          if (pw == null || pw.isEmpty()) {
            throw CliException.badInput("--smtp-user " + smtpUser + ": set its password in SMTP_PASSWORD");
          }
          nb.login(smtpUser, Secret.ofUtf8(pw));
        }
        return nb.build();
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--notify-smtp: " + e.getMessage());
      }
    }

    /** {@code --customers FILE}: id,email,name a line; errors name the file and line. */
    static List<Customer> readCustomers(Path file) {
      List<String> lines;
      try {
        lines = java.nio.file.Files.readAllLines(file);
      } catch (java.io.IOException e) {
        throw CliException.badInput("--customers: cannot read " + file + ": " + e.getMessage());
      }
      List<Customer> out = new ArrayList<>();
      Set<String> ids = new java.util.HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",", 3);
        String where = file + ":" + (i + 1) + ": ";
        if (f.length < 2) {
          throw CliException.badInput(where + "expected id,email,name, got '" + line + "'");
        }
        try {
          Customer c = new Customer(f[0].strip(), f.length > 2 ? f[2].strip() : f[0].strip(), f[1].strip());
          if (!ids.add(c.id())) {
            throw CliException.badInput(where + "customer id '" + c.id() + "' is listed twice");
          }
          out.add(c);
        } catch (IllegalArgumentException e) {
          throw CliException.badInput(where + e.getMessage());
        }
      }
      return out;
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
