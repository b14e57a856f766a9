package dev.pledge.core.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a trail in one streaming pass (P14, P20): every record's hash, every link, every sequence
 * number, and every checkpoint (its signature, its place in the checkpoint chain, and the hash it
 * names), from the store and from each place checkpoints were published to. It answers "intact" or
 * names the first bad sequence number and what happened: edited, inserted, deleted, reordered,
 * truncated after a checkpoint, or a bad checkpoint signature.
 *
 * <p>Memory is bounded: the records are read once, and at most {@link #window} records are held at a
 * time to tell a moved record from a deleted one. Thread-safe: a verifier holds no state between
 * calls.
 *
 * <pre>{@code
 * AuditVerification v = AuditVerifier.create().key(CheckpointKey.load(keyFile)).verify(store, published);
 * if (!v.intact()) System.out.println(v.finding().message());
 * }</pre>
 */
public final class AuditVerifier {
  private final CheckpointKey key;
  private final int window;

  private AuditVerifier(CheckpointKey key, int window) {
    this.key = key;
    this.window = window;
  }

  /** A verifier without a key (checkpoints are compared with the chain, signatures not checked). */
  public static AuditVerifier create() {
    return new AuditVerifier(null, 1024);
  }

  /** A copy that checks every checkpoint's signature with {@code key}. */
  public AuditVerifier key(CheckpointKey key) {
    return new AuditVerifier(Objects.requireNonNull(key, "key"), window);
  }

  /** A copy that looks up to {@code records} ahead for a moved record (default 1024). */
  public AuditVerifier window(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("window must be at least 1 record, got " + records);
    }
    return new AuditVerifier(key, records);
  }

  /** The look-ahead window, in records. */
  public int window() {
    return window;
  }

  /** Verifies {@code store}'s chain against its own checkpoints and those of {@code published}. */
  public AuditVerification verify(AuditStore store, CheckpointPublisher... published) {
    List<Stream<AuditCheckpoint>> opened = new ArrayList<>();
    try (Stream<ChainedRecord> records = store.records(AuditQuery.all())) {
      opened.add(store.checkpoints());
      for (CheckpointPublisher p : published) {
        opened.add(p.published());
      }
      List<Iterator<AuditCheckpoint>> its = opened.stream().map(Stream::iterator).toList();
      return verify(records.iterator(), new Merged(its));
    } finally {
      opened.forEach(Stream::close);
    }
  }

  /**
   * Verifies records in stored order against checkpoints sorted by sequence number (duplicates of one
   * checkpoint allowed, as when the same checkpoint comes from the store and a publication).
   */
  public AuditVerification verify(Iterator<ChainedRecord> records, Iterator<AuditCheckpoint> checkpoints) {
    return new Pass(new Lookahead(records), checkpoints).run();
  }

  /** One pass's state. */
  private final class Pass {
    private final Lookahead in;
    private final Iterator<AuditCheckpoint> cps;
    private AuditCheckpoint nextCp;
    private long expected = 1;
    private String prev = AuditChain.GENESIS;
    private long accepted;
    private long checkpointsChecked;
    private long lastCpSeq;
    private AuditCheckpoint lastCp;

    Pass(Lookahead in, Iterator<AuditCheckpoint> cps) {
      this.in = in;
      this.cps = cps;
      this.nextCp = cps.hasNext() ? cps.next() : null;
    }

    AuditVerification run() {
      while (true) {
        ChainedRecord e;
        try {
          if (!in.hasNext()) {
            break;
          }
          e = in.next();
        } catch (AuditFormatException bad) {
          return found(AuditVerification.Tampering.EDITED, expected, bad.getMessage());
        }
        AuditVerification.Finding f = e.seq() == expected && e.prev().equals(prev) && e.selfConsistent()
            ? fork(e) : classify(e);
        if (f == null) {
          f = accept(e);
        }
        if (f != null) {
          return result(f);
        }
      }
      if (nextCp != null) {
        AuditVerification.Finding bad = signature(nextCp);
        if (bad != null) {
          return result(bad);
        }
        return found(AuditVerification.Tampering.TRUNCATED, expected, "the trail ends at seq " + (expected - 1)
            + ", but a checkpoint made " + nextCp.at() + " covers records up to seq " + nextCp.seq() + ": "
            + (nextCp.seq() - expected + 1) + " record(s) cut off after "
            + (lastCp == null ? "the start (no earlier checkpoint)" : "checkpoint at seq " + lastCp.seq()));
      }
      return new AuditVerification(accepted, checkpointsChecked, key != null, null);
    }

    private AuditVerification found(AuditVerification.Tampering kind, long seq, String message) {
      return result(new AuditVerification.Finding(kind, seq, message));
    }

    private AuditVerification result(AuditVerification.Finding f) {
      return new AuditVerification(accepted, checkpointsChecked, key != null, f);
    }

    /**
     * When the next record claims the same place as {@code e} (same seq, same predecessor), one of the
     * two was inserted: the one the record after them does not link to, or the one no checkpoint names.
     */
    private AuditVerification.Finding fork(ChainedRecord e) {
      ChainedRecord twin = in.peek(0);
      if (twin == null || twin.seq() != e.seq() || !twin.prev().equals(e.prev()) || twin.hash().equals(e.hash())) {
        return null;
      }
      ChainedRecord after = in.peek(1);
      boolean eIsGenuine = after != null ? after.prev().equals(e.hash())
          : nextCp == null || nextCp.seq() != e.seq() || nextCp.hash().equals(e.hash());
      return finding(AuditVerification.Tampering.INSERTED, e.seq(), "two records claim seq " + e.seq()
          + "; the " + (eIsGenuine ? "second" : "first") + " is not part of the chain (inserted)");
    }

    private AuditVerification.Finding accept(ChainedRecord e) {
      prev = e.hash();
      expected++;
      accepted++;
      while (nextCp != null && nextCp.seq() <= e.seq()) {
        AuditCheckpoint cp = nextCp;
        nextCp = cps.hasNext() ? cps.next() : null;
        AuditVerification.Finding f = checkpoint(cp, e);
        if (f != null) {
          return f;
        }
      }
      return null;
    }

    private AuditVerification.Finding checkpoint(AuditCheckpoint cp, ChainedRecord at) {
      AuditVerification.Finding bad = signature(cp);
      if (bad != null) {
        return bad;
      }
      if (cp.seq() < at.seq()) {
        return new AuditVerification.Finding(AuditVerification.Tampering.INSERTED, cp.seq(),
            "checkpoint at seq " + cp.seq() + " is out of order in the checkpoint list");
      }
      if (!cp.hash().equals(at.hash())) {
        ChainedRecord n = in.peek(0);
        if (n != null && n.seq() == at.seq() + 1 && n.prev().equals(cp.hash())) {
          return new AuditVerification.Finding(AuditVerification.Tampering.EDITED, at.seq(), "seq " + at.seq()
              + " was changed and its hash recomputed: the checkpoint over it and seq " + n.seq()
              + " both name its old hash");
        }
        long from = lastCpSeq + 1;
        return new AuditVerification.Finding(AuditVerification.Tampering.EDITED, from,
            "records between seq " + from + " and seq " + cp.seq() + " were rewritten with recomputed hashes:"
                + " the checkpoint made " + cp.at() + " names another hash for seq " + cp.seq());
      }
      boolean duplicate = lastCp != null && cp.seq() == lastCp.seq();
      if (!duplicate && cp.previous() != lastCpSeq) {
        return new AuditVerification.Finding(AuditVerification.Tampering.DELETED, cp.previous(),
            cp.previous() > lastCpSeq
                ? "checkpoint(s) removed: the checkpoint at seq " + cp.seq() + " follows one at seq " + cp.previous()
                    + ", which is missing (last present: " + (lastCpSeq == 0 ? "none" : "seq " + lastCpSeq) + ")"
                : "the checkpoint at seq " + cp.seq() + " names seq " + cp.previous()
                    + " as its predecessor, not seq " + lastCpSeq);
      }
      lastCpSeq = cp.seq();
      lastCp = cp;
      checkpointsChecked++;
      return null;
    }

    private AuditVerification.Finding signature(AuditCheckpoint cp) {
      if (key != null && !key.verifies(cp)) {
        return new AuditVerification.Finding(AuditVerification.Tampering.BAD_SIGNATURE, cp.seq(),
            "the checkpoint at seq " + cp.seq() + " (made " + cp.at() + ", key " + cp.keyId()
                + ") does not verify with key " + key.keyId());
      }
      return null;
    }

    private AuditVerification.Finding classify(ChainedRecord e) {
      ChainedRecord n = in.peek(0);
      boolean nextFits = n != null && n.seq() == expected && n.prev().equals(prev) && n.selfConsistent();
      if (nextFits && e.seq() > expected && e.selfConsistent()) {
        return finding(AuditVerification.Tampering.REORDERED, expected,
            "seq " + expected + " was moved: it stands after seq " + e.seq());
      }
      if (nextFits) {
        String what = e.seq() == expected - 1 && e.hash().equals(prev) ? "a copy of seq " + e.seq()
            : "a record that is not part of the chain (claiming seq " + e.seq() + ")";
        return finding(AuditVerification.Tampering.INSERTED, expected, what + " was inserted before seq " + expected);
      }
      if (e.prev().equals(prev) && !e.selfConsistent()) {
        return finding(AuditVerification.Tampering.EDITED, expected, "seq " + expected
            + " was changed: its content no longer matches its hash"
            + (e.seq() != expected ? " (its sequence number now reads " + e.seq() + ")" : ""));
      }
      if (e.seq() > expected) {
        for (int i = 0; i < window; i++) {
          ChainedRecord later = in.peek(i);
          if (later == null) {
            break;
          }
          if (later.seq() == expected) {
            return e.selfConsistent()
                ? finding(AuditVerification.Tampering.REORDERED, expected,
                    "seq " + expected + " was moved: it stands after seq " + e.seq())
                : finding(AuditVerification.Tampering.INSERTED, expected,
                    "a record that is not part of the chain (claiming seq " + e.seq() + ") was inserted before seq "
                        + expected);
          }
        }
        long missing = e.seq() - expected;
        return finding(AuditVerification.Tampering.DELETED, expected,
            missing == 1 ? "seq " + expected + " was deleted"
                : "seq " + expected + " to seq " + (e.seq() - 1) + " were deleted (" + missing + " records)");
      }
      if (e.seq() == expected) {
        if (!e.selfConsistent()) {
          return finding(AuditVerification.Tampering.EDITED, expected,
              "seq " + expected + " was changed: its content no longer matches its hash");
        }
        if (expected == 1) {
          return finding(AuditVerification.Tampering.EDITED, 1, "seq 1 was changed: it no longer starts the chain");
        }
        return finding(AuditVerification.Tampering.EDITED, expected - 1,
            "seq " + (expected - 1) + " was changed and its hash recomputed: seq " + expected
                + " no longer links to it");
      }
      String what = e.seq() == expected - 1 && e.hash().equals(prev) ? "a copy of seq " + e.seq()
          : "a record claiming seq " + e.seq();
      return finding(AuditVerification.Tampering.INSERTED, expected, what + " was inserted after seq " + (expected - 1));
    }

    private AuditVerification.Finding finding(AuditVerification.Tampering kind, long seq, String message) {
      return new AuditVerification.Finding(kind, seq, message);
    }
  }

  /** An iterator that can look a bounded number of elements ahead. */
  private static final class Lookahead {
    private final Iterator<ChainedRecord> it;
    private final ArrayDeque<Object> ahead = new ArrayDeque<>();

    Lookahead(Iterator<ChainedRecord> it) {
      this.it = it;
    }

    boolean hasNext() {
      return !ahead.isEmpty() || it.hasNext();
    }

    ChainedRecord next() {
      Object o = ahead.isEmpty() ? it.next() : ahead.removeFirst();
      if (o instanceof AuditFormatException bad) {
        throw bad;
      }
      return (ChainedRecord) o;
    }

    /** The element {@code i} places after the next one's predecessor, or null at the end or a bad line. */
    ChainedRecord peek(int i) {
      while (ahead.size() <= i) {
        try {
          if (!it.hasNext()) {
            return null;
          }
          ahead.addLast(it.next());
        } catch (AuditFormatException bad) {
          ahead.addLast(bad);
          return null;
        }
      }
      Object o = i == 0 ? ahead.peekFirst() : ahead.stream().skip(i).findFirst().orElseThrow();
      return o instanceof ChainedRecord r ? r : null;
    }
  }

  /** Several checkpoint iterators, each sorted by sequence number, merged into one sorted one. */
  private static final class Merged implements Iterator<AuditCheckpoint> {
    private final List<Iterator<AuditCheckpoint>> its;
    private final AuditCheckpoint[] heads;

    Merged(List<Iterator<AuditCheckpoint>> its) {
      this.its = its;
      this.heads = new AuditCheckpoint[its.size()];
      for (int i = 0; i < heads.length; i++) {
        heads[i] = its.get(i).hasNext() ? its.get(i).next() : null;
      }
    }

    @Override
    public boolean hasNext() {
      for (AuditCheckpoint h : heads) {
        if (h != null) {
          return true;
        }
      }
      return false;
    }

    @Override
    public AuditCheckpoint next() {
      int best = -1;
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != null && (best < 0 || heads[i].seq() < heads[best].seq())) {
          best = i;
        }
      }
      if (best < 0) {
        throw new NoSuchElementException();
      }
      AuditCheckpoint out = heads[best];
      for (int i = 0; i < heads.length; i++) {
        // the same checkpoint from another place is one checkpoint; a different one at the same seq stays
        while (heads[i] != null && heads[i].equals(out)) {
          heads[i] = its.get(i).hasNext() ? its.get(i).next() : null;
        }
      }
      return out;
    }
  }
}
