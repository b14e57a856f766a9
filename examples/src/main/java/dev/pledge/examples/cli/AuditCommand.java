package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditFormatException;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditQuery;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditStore;
import dev.pledge.core.audit.AuditTrails;
import dev.pledge.core.audit.AuditVerification;
import dev.pledge.core.audit.AuditVerifier;
import dev.pledge.core.audit.ChainedRecord;
import dev.pledge.core.audit.CheckpointKey;
import dev.pledge.core.audit.CheckpointPublisher;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge audit}: check and read a tamper-evident audit trail (P14, P20). {@code verify} exits 0
 * when the trail is intact and 1 naming the first bad record and what happened to it; {@code query}
 * and {@code tail} stream records. TRAIL is {@code file:PATH} (or a bare path) or a {@code jdbc:} URL;
 * without {@code --trail}, the policy's {@code audit} section names it.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Verify, query and tail a hash-chained audit trail (P14, P20).",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Query.class, AuditCommand.Tail.class})
final class AuditCommand implements Runnable {

  @Override
  public void run() {
    throw CliException.badInput("audit needs a subcommand: verify, query or tail");
  }

  /** Options every subcommand shares. */
  static final class Shared {
    @Mixin CommonOptions options;

    @Option(names = "--trail", paramLabel = "TRAIL",
        description = "file:PATH (JSON Lines; a bare path means the same) or jdbc:postgresql://..., jdbc:mariadb://..."
            + " (default: the policy's audit.store)")
    String trail;

    @Option(names = "--table", paramLabel = "PREFIX",
        description = "The table prefix of a jdbc: trail (default: the policy's audit.table, else pledge_audit).")
    String table;

    private AuditPolicy section() {
      return options.loadPolicy().section(AuditPolicy.class).orElse(null);
    }

    String trailName() {
      if (trail != null) {
        return trail;
      }
      AuditPolicy s = section();
      if (s == null || s.discards()) {
        throw CliException.badInput("--trail is required: the policy has no audit trail to read");
      }
      return s.store();
    }

    String table() {
      if (table != null) {
        return table;
      }
      AuditPolicy s = trail == null ? section() : null;
      return s == null ? "pledge_audit" : s.table();
    }

    /** The trail opened for reading; a missing file or bad name is bad input, an unreachable database a failure. */
    AuditStore open() {
      String name = trailName();
      if (!name.startsWith("jdbc:")) {
        if (name.matches("[a-z][a-z0-9+.-]*://.*")) {
          throw CliException.badInput("--trail: '" + name + "' must be file:PATH (or a path) or a jdbc: URL");
        }
        Path p = Path.of(name.startsWith("file:") ? name.substring(5) : name);
        if (!Files.isRegularFile(p)) {
          throw CliException.badInput("--trail: no audit trail file at " + p);
        }
      }
      try {
        return AuditTrails.openForReading(name, table());
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--trail: " + e.getMessage());
      } catch (PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
    }
  }

  /** One record as a JSON object: its place in the chain and every field. */
  static ObjectNode json(ChainedRecord c) {
    AuditRecord r = c.record();
    ObjectNode o = CommonOptions.jsonMapper().createObjectNode();
    o.put("seq", c.seq());
    o.put("at", r.at().toString());
    o.put("actor", r.actor());
    o.put("action", r.action());
    o.put("resource", r.resource());
    o.put("outcome", r.outcome().name());
    if (r.scope() != null) {
      o.put("site", r.scope().site().value());
      o.put("env", r.scope().environment().name());
    }
    ObjectNode d = o.putObject("details");
    r.details().forEach(d::put);
    o.put("hash", c.hash());
    return o;
  }

  /** One record as a line of text. */
  static String text(ChainedRecord c) {
    AuditRecord r = c.record();
    StringBuilder b = new StringBuilder();
    b.append(c.seq()).append("  ").append(r.at()).append("  ").append(r.actor()).append("  ").append(r.action())
        .append("  ").append(r.resource()).append("  ").append(r.outcome());
    if (r.scope() != null) {
      b.append("  ").append(r.scope());
    }
    for (Map.Entry<String, String> e : r.details().entrySet()) {
      b.append("  ").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  /** Prints records, one a line, as text or JSON Lines; a damaged record ends the run with exit 1. */
  static int print(Io io, boolean json, Stream<ChainedRecord> records) {
    try {
      records.forEach(c -> io.out().println(json ? CommonOptions.toJson(json(c)) : text(c)));
      return PledgeCli.OK;
    } catch (AuditFormatException e) {
      io.err().println("pledge: " + e.getMessage() + " (run 'pledge audit verify')");
      return PledgeCli.NEGATIVE;
    } catch (UncheckedIOException e) {
      throw CliException.failure(e.getMessage());
    } catch (PledgeException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  /** {@code pledge audit verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every record, link and checkpoint in one pass: exit 0 when intact, 1 naming the first"
          + " bad record and what happened to it (edited, inserted, deleted, reordered, truncated, bad checkpoint"
          + " signature).")
  static final class Verify implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    @Option(names = "--key-file", paramLabel = "F",
        description = "The checkpoint key (an Ed25519 public key is enough; HMAC needs the secret). Without it,"
            + " checkpoints are compared with the chain but their signatures are not checked.")
    Path keyFile;

    @Option(names = "--published", paramLabel = "PLACE",
        description = "A second place checkpoints were copied to (file:DIR, jdbc:..., or"
            + " s3://bucket/prefix?region=R[&endpoint=URL]); repeatable. Default:"
            + " the policy's audit.publishTo when --trail is not given.")
    List<String> published = new ArrayList<>();

    Verify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AuditVerifier verifier = AuditVerifier.create();
      Path kf = keyFile;
      List<String> places = new ArrayList<>(published);
      if (shared.trail == null) {
        AuditPolicy s = shared.options.loadPolicy().section(AuditPolicy.class).orElse(null);
        if (s != null && kf == null && s.keyFile() != null) {
          kf = Path.of(s.keyFile());
        }
        if (s != null && places.isEmpty() && s.publishTo() != null) {
          places.add(s.publishTo());
        }
      }
      if (kf != null) {
        if (!Files.isRegularFile(kf)) {
          throw CliException.badInput("--key-file: no such file " + kf);
        }
        verifier = verifier.key(CheckpointKey.load(kf));
      }
      List<CheckpointPublisher> publishers = new ArrayList<>();
      for (String p : places) {
        try {
          publishers.add(AuditTrails.publisher(p, shared.table()));
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--published: " + e.getMessage());
        }
      }
      AuditVerification v;
      try (AuditStore store = shared.open()) {
        v = verifier.verify(store, publishers.toArray(CheckpointPublisher[]::new));
      } catch (UncheckedIOException | PledgeException e) {
        throw CliException.failure(e.getMessage());
      }
      if (shared.options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("intact", v.intact());
        out.put("records", v.records());
        out.put("checkpoints", v.checkpoints());
        out.put("signaturesChecked", v.signaturesChecked());
        if (!v.intact()) {
          ObjectNode f = out.putObject("finding");
          f.put("kind", v.finding().kind().name());
          f.put("seq", v.finding().seq());
          f.put("message", v.finding().message());
        }
        io.out().println(CommonOptions.toJson(out));
      } else if (v.intact()) {
        io.out().println("intact: " + v.records() + " records, " + v.checkpoints() + " checkpoints"
            + (v.signaturesChecked() ? ", every checkpoint signature verified" : " (signatures not checked: no --key-file)"));
      } else {
        io.out().println("altered: " + v.finding().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
            + " at seq " + v.finding().seq() + ": " + v.finding().message());
      }
      return v.intact() ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  /** {@code pledge audit query}. */
  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "Print the records that match every condition given, oldest first (--json: JSON Lines).")
  static final class Query implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    @Option(names = "--from", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
        description = "Records at or after T.")
    Instant from;

    @Option(names = "--to", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
        description = "Records before T.")
    Instant to;

    @Option(names = "--actor", paramLabel = "A", description = "Records by this actor.")
    String actor;

    @Option(names = "--action", paramLabel = "X", description = "Records of this action.")
    String action;

    @Option(names = "--resource", paramLabel = "R", description = "Records about this resource.")
    String resource;

    @Option(names = "--outcome", paramLabel = "O", description = "SUCCESS, FAILURE or DENIED.")
    AuditOutcome outcome;

    Query(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AuditQuery q = AuditQuery.builder().from(from).to(to).actor(actor).action(action).resource(resource)
          .outcome(outcome).build();
      try (AuditStore store = shared.open(); Stream<ChainedRecord> s = store.records(q)) {
        return print(io, shared.options.json(), s);
      }
    }
  }

  /** {@code pledge audit tail}. */
  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = "Print the last N records, oldest first (--json: JSON Lines).")
  static final class Tail implements Callable<Integer> {
    private final Io io;
    @Mixin Shared shared;

    @Option(names = "-n", paramLabel = "N", defaultValue = "10", description = "How many records (default: ${DEFAULT-VALUE}).")
    int n;

    Tail(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (n < 0) {
        throw CliException.badInput("-n: must be 0 or more, got " + n);
      }
      try (AuditStore store = shared.open()) {
        List<ChainedRecord> tail;
        try {
          tail = store.tail(n);
        } catch (AuditFormatException e) {
          io.err().println("pledge: " + e.getMessage() + " (run 'pledge audit verify')");
          return PledgeCli.NEGATIVE;
        } catch (PledgeException | UncheckedIOException e) {
          throw CliException.failure(e.getMessage());
        }
        return print(io, shared.options.json(), tail.stream());
      }
    }
  }
}
