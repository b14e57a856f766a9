package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupIntegrityException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupNotFoundException;
import dev.pledge.backup.BackupRefusedException;
import dev.pledge.backup.VerificationResult;
import dev.pledge.backup.crypto.KeyWrapException;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.policy.HostingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pledge backup}: Encrypted backups: keygen, run, list, restore, verify (P6-P12). */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Encrypted backups: keygen, run, list, restore, verify (P6-P12).",
    subcommands = {BackupCommand.Keygen.class, BackupCommand.Run.class, BackupCommand.ListBackups.class,
        BackupCommand.Restore.class, BackupCommand.Verify.class})
final class BackupCommand implements Runnable {
  private final Io io;

  BackupCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("backup: a subcommand is required; see 'pledge backup --help'");
  }

  static BackupStore store(String location) {
    try {
      return Stores.parse(location);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--store: " + e.getMessage());
    }
  }

  /**
   * A store that must already exist (list, verify, restore): a {@code file:} store whose folder is
   * missing is a mistyped location, not an empty store, so it is bad input (exit 2) naming it.
   */
  static BackupStore existingStore(String location) {
    BackupStore s = store(location);
    if (location.startsWith("file:")) {
      Path root = Path.of(location.substring("file:".length()));
      if (!Files.isDirectory(root)) {
        throw CliException.badInput("--store: there is no store at " + location + " (" + root
            + (Files.exists(root) ? " is not a folder)" : " does not exist)"));
      }
    }
    return s;
  }

  static LocalKeyWrapper key(Path keyFile) {
    if (!Files.isRegularFile(keyFile)) {
      throw CliException.badInput("--key-file: no such file: " + keyFile + " (make one with 'pledge backup keygen --out FILE')");
    }
    try {
      return LocalKeyWrapper.load(keyFile);
    } catch (KeyWrapException e) {
      throw CliException.badInput("--key-file: " + e.getMessage());
    }
  }

  static final String AUDIT_HELP = "The audit trail: file:PATH (JSON Lines, hash-chained; a bare path means the same)"
      + " or jdbc:postgresql://..., jdbc:mariadb://... (default: the policy's audit section).";

  static BackupEngine engine(CommonOptions options, LocalKeyWrapper key, String audit) {
    return engine(options, key, audit, false);
  }

  /** The engine; {@code legacy} accepts manifests without a MAC, only when the user said so. */
  static BackupEngine engine(CommonOptions options, LocalKeyWrapper key, String audit, boolean legacy) {
    HostingPolicy hosting = options.loadPolicy().section(HostingPolicy.class).orElse(HostingPolicy.defaults());
    BackupEngine.Builder b = BackupEngine.builder(key).clock(options.clock()).hosting(hosting)
        .actor("cli:" + System.getProperty("user.name", "unknown"))
        .auditTrail(auditTrail(options, audit));
    if (legacy) {
      b.allowUnauthenticatedManifests();
    }
    return b.build();
  }

  /**
   * The trail of {@code --audit TRAIL} ({@code file:PATH}, a bare path, or a {@code jdbc:} URL), else
   * the policy's {@code audit} section; with neither, none, by name. A chained trail is closed when
   * the process ends, which writes its final checkpoint.
   */
  static AuditTrail auditTrail(CommonOptions options, String audit) {
    AuditTrail trail;
    try {
      if (audit != null) {
        trail = AuditTrail.builder(AuditPolicy.of(audit)).clock(options.clock()).build();
      } else {
        java.util.Optional<AuditPolicy> section = options.loadPolicy().section(AuditPolicy.class);
        if (section.isEmpty()) {
          return AuditTrail.discarding();
        }
        trail = AuditTrail.builder(section.get()).clock(options.clock()).build();
      }
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--audit: " + e.getMessage());
    } catch (PledgeException e) {
      throw CliException.failure(e.getMessage());
    }
    if (trail instanceof ChainedAuditTrail chained) {
      Runtime.getRuntime().addShutdownHook(new Thread(chained::close, "pledge-audit-close"));
    }
    return trail;
  }

  static final String LEGACY_HELP = "Accept manifests without a MAC (written before manifests were authenticated),"
      + " reporting each as unauthenticated. Off by default: anyone who can write to the store could strip a MAC.";

  static String scopeOption(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      if (name.equals("--site")) {
        dev.pledge.core.SiteId.of(value);
      } else {
        Environment.of(value);
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(name + ": " + e.getMessage());
    }
  }

  /** The {@code --source} of {@code backup run}, parsed by the library as {@code backups.sources} is. */
  static BackupSource source(String text) {
    try {
      return dev.pledge.backup.source.Sources.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("--source: " + e.getMessage());
    }
  }

  static RestoreTarget target(String text) {
    if (text.startsWith("dir:")) {
      Path dir = Path.of(text.substring(4));
      if (Files.exists(dir) && !isEmptyDirectory(dir)) {
        throw CliException.badInput("--to: " + dir + " must be absent or an empty directory");
      }
      return DirectoryTarget.of(dir);
    }
    if (text.startsWith("postgres:") || text.startsWith("mysql:")) {
      return (RestoreTarget) database("--to", text);
    }
    throw CliException.badInput("--to: '" + dev.pledge.core.internal.Redaction.location(text) + "' must be dir:/path or a database URL");
  }

  private static boolean isEmptyDirectory(Path dir) {
    try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** A database source/target; passwords come from PGPASSWORD / MYSQL_PWD in the environment. */
  static BackupSource database(String option, String text) {
    try {
      return dev.pledge.backup.source.Sources.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(option + ": " + e.getMessage());
    }
  }

  /** {@code pledge backup keygen --out FILE}. */
  @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Write a new local master key (owner-only permissions).")
  static final class Keygen implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key; must not exist.")
    Path out;

    Keygen(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (Files.exists(out)) {
        throw CliException.badInput("--out: " + out + " already exists; refusing to overwrite a master key");
      }
      LocalKeyWrapper k = LocalKeyWrapper.generate(out);
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("keyId", k.keyId());
        o.put("file", out.toAbsolutePath().toString());
        io.out().println(CommonOptions.toJson(o));
      } else {
        io.out().println(k.keyId() + " written to " + out);
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge backup run}. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Back up a source into one or more stores; prints the id.")
  static final class Run implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "dir:/path, postgres:postgresql://user@host:port/db, mysql:mysql://user@host:port/db")
    String source;
    @Option(names = "--store", required = true, paramLabel = "STORE", description = "file:/path or s3://bucket/prefix?region=eu-west-2[&endpoint=URL]; repeat for several locations (P10).")
    List<String> stores;
    @Option(names = "--key-file", required = true, paramLabel = "F", description = "The local master key.")
    Path keyFile;
    @Option(names = "--site", paramLabel = "S", description = "A site of the policy (default: the policy's only site).")
    String site;
    @Option(names = "--env", paramLabel = "E", defaultValue = "production",
        description = "One of the site's environments in the policy (default: ${DEFAULT-VALUE}).")
    String env;
    @Option(names = "--audit", paramLabel = "TRAIL", description = AUDIT_HELP)
    String audit;

    Run(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      List<BackupStore> targets = new ArrayList<>();
      stores.forEach(s -> targets.add(store(s)));
      BackupSource src = source(source);
      dev.pledge.core.policy.PolicyDocument doc = options.loadPolicy();
      dev.pledge.core.SiteId siteId = PolicyScopes.site(doc, site);
      Scope scope = Scope.of(siteId.value(), PolicyScopes.environment(doc, siteId, env).name());
      BackupEngine engine = engine(options, key(keyFile), audit);
      BackupManifest m;
      try {
        m = engine.backup(src, scope, targets);
      } catch (BackupRefusedException e) {
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      }
      io.out().println(options.json() ? CommonOptions.toJson(m) : m.id());
      return PledgeCli.OK;
    }
  }

  /** {@code pledge backup list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the complete backups in a store, oldest first.")
  static final class ListBackups implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Option(names = "--store", required = true, paramLabel = "STORE",
        description = "file:/path or s3://bucket/prefix?region=eu-west-2[&endpoint=URL].") String store;
    @Option(names = "--site", paramLabel = "S", description = "Only this site's backups.") String site;
    @Option(names = "--env", paramLabel = "E", description = "Only this environment's backups.") String env;
    @Option(names = "--key-file", paramLabel = "F", description = "The local master key: list only backups whose"
        + " manifests authenticate (without it, manifests are shown as stored, unauthenticated).") Path keyFile;
    @Option(names = "--allow-unauthenticated-manifests", description = "With --key-file: " + LEGACY_HELP) boolean legacy;

    ListBackups(Io io) {
      this.io = io;
    }

    /** The manifests that authenticate under the key; the first that does not ends the listing (exit 1). */
    private List<BackupManifest> authenticatedListing(BackupStore s) {
      BackupEngine engine = engine(options, key(keyFile), null, legacy);
      try {
        return engine.listAuthenticated(s, null);
      } catch (dev.pledge.backup.BackupIntegrityException e) {
        throw new CliException(PledgeCli.NEGATIVE, e.getMessage());
      }
    }

    @Override
    public Integer call() {
      BackupStore s = existingStore(store);
      scopeOption("--site", site);
      scopeOption("--env", env);
      if (legacy && keyFile == null) {
        throw CliException.badInput("--allow-unauthenticated-manifests needs --key-file: without a key nothing is authenticated");
      }
      List<BackupManifest> listed;
      if (keyFile != null) {
        listed = authenticatedListing(s);
      } else {
        // listing needs no key: manifests are not secret, and the wrapped keys in them are useless alone
        listed = BackupEngine.builder(NO_KEY).clock(options.clock()).auditTrail(LISTING_ONLY).build().list(s, null);
        if (!options.json()) {
          io.err().println("pledge: note: manifests shown as stored, not authenticated; give --key-file to check them");
        }
      }
      List<BackupManifest> all = listed.stream()
          .filter(m -> site == null || m.site().equals(site))
          .filter(m -> env == null || m.environment().equals(env)).toList();
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("store", s.location());
        o.set("backups", CommonOptions.jsonMapper().valueToTree(all));
        io.out().println(CommonOptions.toJson(o));
      } else {
        for (BackupManifest m : all) {
          io.out().println(m.id() + "  " + m.site() + "/" + m.environment() + "  " + m.sourceKind() + "  "
              + m.plaintextBytes() + " B -> " + m.storedBytes() + " B  " + m.startedAt());
        }
      }
      return PledgeCli.OK;
    }
  }

  /** Listing manifests reads and records nothing, so the engine that lists them discards by name. */
  private static final AuditTrail LISTING_ONLY = AuditTrail.discarding();

  private static final dev.pledge.backup.crypto.KeyWrapper NO_KEY = new dev.pledge.backup.crypto.KeyWrapper() {
    @Override
    public String keyId() {
      return "none";
    }

    @Override
    public byte[] wrap(byte[] dataKey, String context) {
      throw new IllegalStateException("listing does not wrap keys");
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, String context) {
      throw new IllegalStateException("listing does not unwrap keys");
    }
  };

  /** {@code pledge backup restore}. */
  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = {"Restore a backup after verifying all of it; nothing is written when it fails to verify.",
          "A production backup is refused for another --to-env (P27, exit 1)."})
  static final class Restore implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Option(names = "--store", required = true, paramLabel = "STORE",
        description = "file:/path or s3://bucket/prefix?region=eu-west-2[&endpoint=URL].") String store;
    @ArgGroup(exclusive = true, multiplicity = "1") Which which;
    @Option(names = "--to", required = true, paramLabel = "TARGET",
        description = "dir:/path (absent or empty) or a database URL; with --raw, file:/path (absent) or - (standard output).") String to;
    @Option(names = "--raw", description = {"Write the decrypted backup itself instead of unpacking it: for a directory backup"
        + " a POSIX tar archive (tar -xf FILE extracts it), for a database its dump. Verified in full before the file"
        + " appears (to -, before the first byte is written)."}) boolean raw;
    @Option(names = "--key-file", required = true, paramLabel = "F", description = "The local master key.") Path keyFile;
    @Option(names = "--to-env", paramLabel = "E", description = "The environment of the target (default: the backup's own).") String toEnv;
    @Option(names = "--audit", paramLabel = "TRAIL", description = AUDIT_HELP) String audit;
    @Option(names = "--site", paramLabel = "S", description = "With --at: the site whose backups to use (needed when the store holds several).") String site;
    @Option(names = "--env", paramLabel = "E", description = "With --at: the environment whose backups to use (needed when the store holds several).") String env;

    static final class Which {
      @Option(names = "--id", paramLabel = "ID", required = true, description = "The backup to restore.") String id;
      @Option(names = "--at", paramLabel = "T", required = true, converter = CommonOptions.InstantConverter.class,
          description = "Restore the state at this instant (point in time, P9).") Instant at;
    }

    Restore(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (which.at != null) {
        return restoreAt(which.at);
      }
      try {
        BackupManifest.requireId(which.id);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--id: " + e.getMessage());
      }
      BackupStore s = store(store);
      RestoreTarget t = raw ? rawTarget() : target(to);
      Environment env = toEnv == null ? null : Environment.of(scopeOption("--to-env", toEnv));
      BackupEngine engine = engine(options, key(keyFile), audit);
      BackupManifest m;
      try {
        m = engine.restore(s, which.id, t, env, null);
      } catch (BackupNotFoundException e) {
        throw CliException.badInput("--id: " + e.getMessage());
      } catch (BackupRefusedException | BackupIntegrityException e) {
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      }
      requireStdoutWritten();
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("restored", m.id());
        o.put("target", t.description());
        o.set("manifest", CommonOptions.jsonMapper().valueToTree(m));
        io.out().println(CommonOptions.toJson(o));
      } else {
        report().println("restored " + m.id() + " into " + t.description());
      }
      return PledgeCli.OK;
    }

    /** Standard output swallows write errors (a closed pipe): a raw restore there must not claim success then. */
    private void requireStdoutWritten() {
      if (raw && to.equals("-") && io.out().checkError()) {
        throw CliException.failure("writing the backup to standard output failed (closed pipe or full disk)");
      }
    }

    /** Where the human answer goes: stderr when stdout carries the backup itself. */
    private java.io.PrintStream report() {
      return raw && to.equals("-") ? io.err() : io.out();
    }

    /** The target of {@code --raw}: {@code file:/path} (absent) or {@code -} (standard output, not with --json). */
    private RestoreTarget rawTarget() {
      if (to.equals("-")) {
        if (options.json()) {
          throw CliException.badInput("--to -: standard output carries the backup, so --json cannot be given with it");
        }
        return dev.pledge.backup.source.RawTarget.stream(io.out(), "stdout");
      }
      if (!to.startsWith("file:") || to.length() == "file:".length()) {
        throw CliException.badInput("--to: with --raw, '" + dev.pledge.core.internal.Redaction.location(to)
            + "' must be file:/path (a new file) or - (standard output)");
      }
      Path file = Path.of(to.substring("file:".length()));
      if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.badInput("--to: " + file + " already exists; --raw writes a new file");
      }
      return dev.pledge.backup.source.RawTarget.file(file);
    }
    /**
     * {@code --at T} (P9): PostgreSQL into {@code dir:/path} (a data folder that replays to T when
     * started; WAL beside it in {@code /path.wal}), MariaDB/MySQL into a {@code mysql:} server. Exit 1
     * naming what is missing when the store's backups do not reach T.
     */
    private Integer restoreAt(Instant at) {
      if (toEnv != null) {
        throw CliException.badInput("--to-env: a point-in-time restore goes into the backups' own environment");
      }
      if (raw) {
        return restoreRawAt(at);
      }
      boolean postgres;
      if (to.startsWith("dir:")) {
        postgres = true;
      } else if (to.startsWith("mysql:")) {
        postgres = false;
      } else if (to.startsWith("postgres:")) {
        throw CliException.badInput("--to: a PostgreSQL point-in-time restore needs an empty data folder: --to dir:/path"
            + " (start PostgreSQL on it to replay to " + at + ")");
      } else {
        throw CliException.badInput("--to: '" + to + "' must be dir:/path (PostgreSQL) or mysql:mysql://user@host:port/db");
      }
      BackupStore s = store(store);
      scopeOption("--site", site);
      scopeOption("--env", env);
      if (postgres) {
        List<BackupManifest> mine = BackupEngine.builder(NO_KEY).auditTrail(LISTING_ONLY).build().list(s, null).stream()
            .filter(m -> site == null || m.site().equals(site))
            .filter(m -> env == null || m.environment().equals(env)).toList();
        boolean directories = mine.stream().anyMatch(m -> m.sourceKind().equals(DirectorySource.KIND));
        boolean bases = mine.stream().anyMatch(m -> m.sourceKind().equals(dev.pledge.backup.pitr.PostgresBaseBackup.KIND));
        if (directories && !bases) {
          return restoreDirectoryAt(s, mine, at);
        }
      }
      String fullKind = postgres ? dev.pledge.backup.pitr.PostgresBaseBackup.KIND : dev.pledge.backup.pitr.MariaDbDump.KIND;
      List<Scope> scopes = BackupEngine.builder(NO_KEY).auditTrail(LISTING_ONLY).build().list(s, null).stream()
          .filter(m -> m.sourceKind().equals(fullKind))
          .filter(m -> site == null || m.site().equals(site))
          .filter(m -> env == null || m.environment().equals(env))
          .map(BackupManifest::scope).distinct().toList();
      if (scopes.size() > 1) {
        throw CliException.badInput("--at: " + s.location() + " holds " + (postgres ? "PostgreSQL" : "MariaDB")
            + " backups of " + scopes.stream().map(Scope::toString).toList() + "; choose one with --site and --env");
      }
      Scope scope = scopes.isEmpty()
          ? Scope.of(site == null ? "default" : site, env == null ? "production" : env) : scopes.get(0);
      BackupEngine engine = engine(options, key(keyFile), audit);
      dev.pledge.backup.pitr.PitrArchive archive = postgres
          ? dev.pledge.backup.pitr.PitrArchive.postgres(engine, s, scope)
          : dev.pledge.backup.pitr.PitrArchive.mariaDb(engine, s, scope);
      dev.pledge.backup.pitr.RestorePlan plan;
      String into;
      try {
        if (postgres) {
          Path dataDir = Path.of(to.substring(4)).toAbsolutePath().normalize();
          Path walDir = dataDir.resolveSibling(dataDir.getFileName() + ".wal");
          if (Files.exists(walDir)) {
            throw CliException.badInput("--to: " + walDir + " (where the WAL segments go) already exists");
          }
          plan = archive.restorePostgres(at, dataDir, walDir);
          into = dataDir + " (WAL in " + walDir + "; start PostgreSQL on it to replay to " + at + ")";
        } else {
          dev.pledge.backup.source.DatabaseUrl url;
          try {
            url = dev.pledge.backup.source.DatabaseUrl.parse(to.substring("mysql:".length()));
          } catch (IllegalArgumentException e) {
            throw CliException.badInput("--to: " + e.getMessage());
          }
          List<String> client = List.of(tool("mariadb", "mysql"), "--protocol=TCP", "-h", url.host(), "-P",
              Integer.toString(url.port()), "-u", url.user());
          Path work = Files.createTempDirectory("pledge-pitr");
          plan = archive.restoreMariaDb(at, work, client, java.util.Map.of(), Path.of(tool("mariadb-binlog", "mysqlbinlog")));
          Files.deleteIfExists(work);
          into = "mysql:" + url;
        }
      } catch (dev.pledge.backup.pitr.TargetNotCoveredException e) {
        if (options.json()) {
          ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
          o.put("restored", false);
          o.put("at", at.toString());
          ArrayNode missing = o.putArray("missing");
          e.plan().gaps().forEach(missing::add);
          io.out().println(CommonOptions.toJson(o));
        }
        io.err().println("pledge: cannot restore to " + at + ": " + String.join("; ", e.plan().gaps()));
        return PledgeCli.NEGATIVE;
      } catch (BackupRefusedException | BackupIntegrityException e) {
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      } catch (java.io.IOException e) {
        throw CliException.failure("cannot create a working folder: " + Io.problem(e));
      }
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("restored", true);
        o.put("at", at.toString());
        o.put("site", scope.site().value());
        o.put("env", scope.environment().name());
        o.put("target", into);
        o.put("base", plan.base().orElseThrow().id());
        ArrayNode logs = o.putArray("logs");
        plan.logs().forEach(l -> logs.add(l.id()));
        io.out().println(CommonOptions.toJson(o));
      } else {
        io.out().println("restored " + scope + " at " + at + " into " + into + " from " + plan.base().orElseThrow().id()
            + " and " + plan.logs().size() + " log segment(s)");
      }
      return PledgeCli.OK;
    }

    /**
     * {@code --raw --at T}: the newest directory backup complete at T, written raw. A database's
     * point-in-time restore replays logs into a server, so it has no single raw stream: exit 2.
     */
    private Integer restoreRawAt(Instant at) {
      RestoreTarget t = rawTarget();
      BackupStore s = existingStore(store);
      scopeOption("--site", site);
      scopeOption("--env", env);
      List<BackupManifest> dirs = BackupEngine.builder(NO_KEY).auditTrail(LISTING_ONLY).build().list(s, null).stream()
          .filter(m -> m.sourceKind().equals(DirectorySource.KIND))
          .filter(m -> site == null || m.site().equals(site))
          .filter(m -> env == null || m.environment().equals(env)).toList();
      if (dirs.isEmpty()) {
        throw CliException.badInput("--raw --at: " + s.location() + " holds no directory backups"
            + (site == null && env == null ? "" : " of the chosen --site/--env")
            + "; a database's point-in-time restore replays its logs into a server and has no raw form (use --id for one backup)");
      }
      return restoreDirectoryAt(s, dirs, at, t);
    }

    /**
     * {@code --at T} on directory backups: the newest directory backup that was complete at T (its
     * finish at or before T) is restored, as {@code --id} would. Exit 1 naming the earliest backup
     * when none was complete by then.
     */
    private Integer restoreDirectoryAt(BackupStore s, List<BackupManifest> mine, Instant at) {
      return restoreDirectoryAt(s, mine, at, null);
    }

    private Integer restoreDirectoryAt(BackupStore s, List<BackupManifest> mine, Instant at, RestoreTarget rawTarget) {
      List<BackupManifest> dirs = mine.stream().filter(m -> m.sourceKind().equals(DirectorySource.KIND)).toList();
      List<Scope> scopes = dirs.stream().map(BackupManifest::scope).distinct().toList();
      if (scopes.size() > 1) {
        throw CliException.badInput("--at: " + s.location() + " holds directory backups of "
            + scopes.stream().map(Scope::toString).toList() + "; choose one with --site and --env");
      }
      java.util.Optional<BackupManifest> chosen = dirs.stream().filter(m -> !m.finishedAt().isAfter(at))
          .max(java.util.Comparator.comparing(BackupManifest::finishedAt).thenComparing(BackupManifest::id));
      if (chosen.isEmpty()) {
        BackupManifest first = dirs.stream().min(java.util.Comparator.comparing(BackupManifest::finishedAt)).orElseThrow();
        io.err().println("pledge: cannot restore to " + at + ": the earliest directory backup in " + s.location()
            + " (" + first.id() + ") completed at " + first.finishedAt());
        if (options.json()) {
          ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
          o.put("restored", false);
          o.put("at", at.toString());
          io.out().println(CommonOptions.toJson(o));
        }
        return PledgeCli.NEGATIVE;
      }
      RestoreTarget t = rawTarget != null ? rawTarget : target(to);
      BackupEngine engine = engine(options, key(keyFile), audit);
      BackupManifest m;
      try {
        m = engine.restore(s, chosen.get().id(), t, null, null);
      } catch (BackupRefusedException | BackupIntegrityException e) {
        io.err().println("pledge: " + e.getMessage());
        return PledgeCli.NEGATIVE;
      }
      requireStdoutWritten();
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("restored", m.id());
        o.put("at", at.toString());
        o.put("target", t.description());
        o.set("manifest", CommonOptions.jsonMapper().valueToTree(m));
        io.out().println(CommonOptions.toJson(o));
      } else {
        report().println("restored " + m.id() + " (the newest directory backup complete at " + at + ") into " + t.description());
      }
      return PledgeCli.OK;
    }

    private static String tool(String preferred, String fallback) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, preferred))) {
          return Path.of(dir, preferred).toString();
        }
      }
      return fallback;
    }
  }

  /** {@code pledge backup verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Decrypt, authenticate and checksum backups without writing anything; exit 1 naming failing ids.")
  static final class Verify implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Option(names = "--store", required = true, paramLabel = "STORE",
        description = "file:/path or s3://bucket/prefix?region=eu-west-2[&endpoint=URL].") String store;
    @Option(names = "--id", paramLabel = "ID", description = "One backup (default: every backup in the store).") String id;
    @Option(names = "--key-file", required = true, paramLabel = "F", description = "The local master key.") Path keyFile;
    @Option(names = "--audit", paramLabel = "TRAIL", description = AUDIT_HELP) String audit;
    @Option(names = "--allow-unauthenticated-manifests", description = LEGACY_HELP) boolean legacy;

    Verify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (id != null) {
        try {
          BackupManifest.requireId(id);
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--id: " + e.getMessage());
        }
      }
      LocalKeyWrapper k = key(keyFile);
      BackupStore s = existingStore(store);
      BackupEngine engine = engine(options, k, audit, legacy);
      List<VerificationResult> results;
      try {
        results = id == null ? engine.verifyAll(s, null) : List.of(engine.verify(s, id));
      } catch (BackupNotFoundException e) {
        throw CliException.badInput("--id: " + e.getMessage());
      }
      List<String> failing = results.stream().filter(r -> !r.ok()).map(VerificationResult::id).toList();
      if (options.json()) {
        ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
        o.put("ok", failing.isEmpty());
        o.put("checked", results.size());
        ArrayNode f = o.putArray("failing");
        failing.forEach(f::add);
        o.set("results", CommonOptions.jsonMapper().valueToTree(results));
        io.out().println(CommonOptions.toJson(o));
      } else {
        for (VerificationResult r : results) {
          io.out().println((r.ok() ? "ok      " : "FAILED  ") + r.id() + (r.ok() ? "" : "  " + r.problem())
              + (r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
        }
      }
      if (!failing.isEmpty()) {
        io.err().println("pledge: " + failing.size() + " of " + results.size() + " backups failed verification: " + String.join(", ", failing));
        return PledgeCli.NEGATIVE;
      }
      return PledgeCli.OK;
    }
  }
}
