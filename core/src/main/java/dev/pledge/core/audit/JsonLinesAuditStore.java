package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link AuditStore}: one JSON Lines file, one record or checkpoint a line, that survives
 * a full disk and {@code kill -9} without losing an acknowledged record (P14, P20).
 *
 * <ul>
 *   <li>A group is written with positional writes at the end of the data and forced to disk
 *       ({@code fdatasync}) before {@link #append} returns. When a write or the force fails (no space
 *       left, an I/O error), the file is cut back to its length before the group, so no partial line
 *       stays behind and the next group starts on a clean line.
 *   <li>{@link #appendWithoutForce} (for {@link Durability#written}) writes a group the same way and
 *       returns before forcing it; {@link #force()} forces everything written so far, without holding
 *       up the appends meanwhile. When such a force fails, the groups written since the last successful
 *       one may not be on disk (Linux may even have dropped them from its cache), so the store fails
 *       for good: every later append and force throws, naming the file, the cause and the last record
 *       known to be on disk. Close it, check the disk, verify the trail, and open it again.
 *       {@link #close()} forces what is not yet forced.
 *   <li>Opened with {@link #openPreallocated}, the writer extends the file ahead of the data with zero
 *       bytes in growing chunks (64 KiB, doubling up to 4 MiB) and forces that extension with its
 *       metadata once; the forces of the groups written into it then only flush data, not the file's
 *       size and block map, which makes each force cheaper (about half on ext4). A clean
 *       {@link #close()} cuts the zeros off. When the extension cannot be written (a full disk), the
 *       group is written at the end of the file as before. A record line never holds a zero byte
 *       (control characters are escaped), so the data ends at the first zero byte.
 *   <li>On open, whatever follows the last whole line before the first zero byte (a write cut short
 *       by a crash or a full disk, and, after a power cut, pieces of an unacknowledged group written
 *       into the zeros) is moved to {@code FILE.torn}, forced, and cut from the file: it was never
 *       acknowledged, and nothing is ever appended to it. Finding the first zero byte reads the whole
 *       file, once, only when the file was not closed cleanly (it ends with a zero byte).
 *   <li>The writer holds an exclusive lock on the file for its life, so two processes cannot extend
 *       one chain; readers ({@link #openForReading}) take no lock and read only whole lines before the
 *       first zero byte.
 *   <li>Reads stream the file line by line; memory stays bounded however long the trail.
 * </ul>
 *
 * <p>Thread-safe: appends are serialised by the store; reads run beside them.
 */
public final class JsonLinesAuditStore implements AuditStore {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditStore.class);
  private static final int BLOCK = 64 * 1024;
  /** The first and the largest extension of the file ahead of its data. */
  private static final long MIN_EXTENSION = 64 * 1024;
  private static final long MAX_EXTENSION = 4L * 1024 * 1024;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Object appendLock = new Object();
  private volatile long size;
  /** The file's length (under appendLock): the data, then zero bytes written ahead of it. */
  private long allocated;
  /** How far the next extension reaches past the data (under appendLock); doubles up to the maximum. */
  private long extension = MIN_EXTENSION;
  /** After an extension failed (a full disk), none is tried before the data reaches this offset. */
  private long noExtensionBefore;
  private volatile Head head;
  /** How much of the data is known to be on disk (under appendLock); 0 until the first force. */
  private long durable;
  /** The sequence number of the last record known to be on disk (under appendLock). */
  private long durableSeq;
  /** Set when a force of written data failed; every later append and force throws it. */
  private volatile PledgeException failure;
  private boolean needsRepair;
  private volatile boolean closed;
  private int refs = 1;
  private Path key;

  /** Writers open in this JVM, by real path: a second {@link #open} of one file shares the first. */
  private static final java.util.Map<Path, JsonLinesAuditStore> OPEN = new java.util.HashMap<>();

  private final boolean preallocates;

  private JsonLinesAuditStore(Path file, FileChannel channel, FileLock lock, boolean preallocates) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.preallocates = preallocates;
  }

  /**
   * Opens {@code file} for appending, creating it and its folders when missing, setting aside a torn
   * last line, and locking the file against other writers. Opening a file this JVM already has open
   * returns the same store (closed when every opener closed it), so the chain stays linear.
   *
   * @throws PledgeException when the file cannot be opened or another process writes to it
   */
  public static JsonLinesAuditStore open(Path file) {
    return open(file, false);
  }

  /**
   * Opens {@code file} as {@link #open} does, and keeps zero bytes written ahead of the data (see the
   * class comment), so that each group's force flushes data only: faster group commit, at the price
   * that while the trail is open the file ends in up to 4 MiB of zero bytes. Pledge's readers stop at
   * them; a tool that tails the file must too. A clean close cuts them off. When this JVM already has
   * the file open, the store it has is returned as it was opened.
   *
   * @throws PledgeException when the file cannot be opened or another process writes to it
   */
  public static JsonLinesAuditStore openPreallocated(Path file) {
    return open(file, true);
  }

  private static JsonLinesAuditStore open(Path file, boolean preallocates) {
    Objects.requireNonNull(file, "file");
    synchronized (OPEN) {
      Path k = file.toAbsolutePath().normalize();
      JsonLinesAuditStore open = OPEN.get(k);
      if (open != null) {
        synchronized (open.appendLock) {
          open.refs++;
        }
        return open;
      }
      JsonLinesAuditStore s = doOpen(file, f -> FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), preallocates);
      s.key = k;
      OPEN.put(k, s);
      return s;
    }
  }

  /** Opens the channel a writer appends through; tests pass one that fails like a full disk. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path file) throws IOException;
  }

  /** A writer over a channel from {@code opener}, not shared with other openers. For tests. */
  static JsonLinesAuditStore openWith(Path file, ChannelOpener opener, boolean preallocates) {
    return doOpen(file, opener, preallocates);
  }

  /** A writer over a channel from {@code opener}, not shared with other openers. For tests. */
  static JsonLinesAuditStore openWith(Path file, ChannelOpener opener) {
    return doOpen(file, opener, false);
  }

  private static JsonLinesAuditStore doOpen(Path file, ChannelOpener opener, boolean preallocates) {
    FileChannel ch = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ch = opener.open(file);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new PledgeException("audit trail " + file + " is already open for writing (another process or store);"
            + " one writer per file keeps the chain linear");
      }
      JsonLinesAuditStore store = new JsonLinesAuditStore(file, ch, lock, preallocates);
      store.repair();
      return store;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new PledgeException("cannot open audit trail " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /**
   * Opens {@code file} for reading only (verification, queries) while a writer may be appending: no
   * lock, no repair; a last line without its newline is not read.
   *
   * @throws PledgeException when the file does not exist or cannot be read
   */
  public static JsonLinesAuditStore openForReading(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      JsonLinesAuditStore store = new JsonLinesAuditStore(file, ch, null, false);
      store.size = store.endOfData(ch.size());
      return store;
    } catch (NoSuchFileException e) {
      throw new PledgeException("audit trail " + file + " does not exist");
    } catch (IOException e) {
      throw new PledgeException("cannot read audit trail " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Cuts off what follows the last whole line before the first zero byte (into {@code FILE.torn} when
   * it is not only zeros), then reads the head from the end of the data.
   */
  private void repair() throws IOException {
    long len = channel.size();
    long data = len > 0 && byteAt(len - 1) == 0 ? firstZero(len) : len;
    long keep = data;
    while (keep > 0 && !endsWithNewline(keep)) {
      keep = lastNewlineBefore(keep);
    }
    long tornEnd = endOfData(len); // pieces written into the zeros after a power cut go aside too
    if (keep < len) {
      if (tornEnd > keep) {
        ByteBuffer torn = ByteBuffer.allocate((int) Math.min(tornEnd - keep, Integer.MAX_VALUE - 8));
        channel.read(torn, keep);
        torn.flip();
        Path aside = file.resolveSibling(file.getFileName() + ".torn");
        try (FileChannel t = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
          writeFully(t, torn, -1);
          writeFully(t, ByteBuffer.wrap(new byte[] {'\n'}), -1);
          t.force(true);
        }
        LOG.warn("audit trail {}: a torn last line of {} bytes (a write cut short, never acknowledged) was moved to {}",
            file, tornEnd - keep, aside);
      }
      channel.truncate(keep);
      channel.force(true);
    }
    size = keep;
    allocated = keep;
    head = readHead(keep);
    if (keep > 0) {
      // a writer killed before its background force may have left data only in the OS's cache: start
      // from data known to be on disk (cheap when nothing is waiting)
      channel.force(false);
    }
    durable = keep;
    durableSeq = head.seq();
  }

  private byte byteAt(long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    channel.read(b, pos);
    return b.get(0);
  }

  /** The offset of the first zero byte in the first {@code len} bytes, or {@code len}. Reads them all. */
  private long firstZero(long len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BLOCK);
    long pos = 0;
    while (pos < len) {
      b.clear().limit((int) Math.min(BLOCK, len - pos));
      int n = channel.read(b, pos);
      if (n <= 0) {
        return pos;
      }
      for (int i = 0; i < n; i++) {
        if (b.get(i) == 0) {
          return pos + i;
        }
      }
      pos += n;
    }
    return len;
  }

  /** The offset just after the last byte that is not zero among the first {@code len}, or 0. */
  private long endOfData(long len) throws IOException {
    long pos = len;
    ByteBuffer b = ByteBuffer.allocate(BLOCK);
    while (pos > 0) {
      long start = Math.max(0, pos - BLOCK);
      b.clear().limit((int) (pos - start));
      channel.read(b, start);
      for (int i = (int) (pos - start) - 1; i >= 0; i--) {
        if (b.get(i) != 0) {
          return start + i + 1;
        }
      }
      pos = start;
    }
    return 0;
  }

  private boolean endsWithNewline(long len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    channel.read(b, len - 1);
    return b.get(0) == '\n';
  }

  /** The offset just after the last newline before {@code end}, or 0. */
  private long lastNewlineBefore(long end) throws IOException {
    long pos = end;
    ByteBuffer b = ByteBuffer.allocate(BLOCK);
    while (pos > 0) {
      long start = Math.max(0, pos - BLOCK);
      b.clear().limit((int) (pos - start));
      channel.read(b, start);
      for (int i = (int) (pos - start) - 1; i >= 0; i--) {
        if (b.get(i) == '\n') {
          return start + i + 1;
        }
      }
      pos = start;
    }
    return 0;
  }

  /** The head, from the last record line and the last checkpoint line, read backwards from {@code end}. */
  private Head readHead(long end) throws IOException {
    ChainedRecord last = null;
    AuditCheckpoint cp = null;
    long lineEnd = end;
    while (lineEnd > 0 && (last == null || cp == null)) {
      long lineStart = lastNewlineBefore(lineEnd - 1);
      int n = (int) (lineEnd - 1 - lineStart);
      ByteBuffer b = ByteBuffer.allocate(n);
      while (b.hasRemaining() && channel.read(b, lineStart + b.position()) > 0) {
        // read the whole line
      }
      String line = new String(b.array(), 0, n, StandardCharsets.UTF_8);
      lineEnd = lineStart;
      if (line.isBlank()) {
        continue;
      }
      JsonLinesCodec.Parsed p;
      try {
        p = JsonLinesCodec.parse(line, file + " (line ending at byte " + (lineStart + n) + ")");
      } catch (AuditFormatException e) {
        if (last == null) {
          throw new PledgeException("cannot continue audit trail " + file + ": its last record is damaged ("
              + e.getMessage() + "); verify it with 'pledge audit verify' and start a new trail");
        }
        continue; // a damaged line further back is for verification to report
      }
      if (p.record() != null && last == null) {
        last = p.record();
      } else if (p.checkpoint() != null && cp == null && last == null) {
        cp = p.checkpoint();
      } else if (p.checkpoint() != null && cp == null) {
        cp = p.checkpoint();
      }
    }
    if (last == null) {
      return cp == null ? Head.EMPTY : new Head(0, AuditChain.GENESIS, 0, null);
    }
    return new Head(last.seq(), last.hash(), cp == null ? 0 : cp.seq(), cp == null ? null : cp.at());
  }

  @Override
  public Group append(Linker linker) {
    return append(linker, true);
  }

  /** True for a writer: {@link #appendWithoutForce} and {@link #force()} are supported. */
  @Override
  public boolean supportsDeferredForce() {
    return lock != null;
  }

  @Override
  public Group appendWithoutForce(Linker linker) {
    return append(linker, false);
  }

  private Group append(Linker linker, boolean forced) {
    synchronized (appendLock) {
      if (lock == null) {
        throw new IllegalStateException("audit trail " + file + " was opened for reading only");
      }
      if (closed) {
        throw new IllegalStateException("audit trail " + file + " is closed");
      }
      PledgeException failed = failure;
      if (failed != null) {
        throw new PledgeException(failed.getMessage(), failed);
      }
      if (needsRepair) {
        try {
          repair();
          needsRepair = false;
        } catch (IOException e) {
          throw new PledgeException("cannot append to audit trail " + file + ": " + e.getMessage(), e);
        }
      }
      Group g = linker.link(head);
      if (g.isEmpty()) {
        return g;
      }
      StringBuilder text = new StringBuilder(g.records().size() * 300 + 300);
      for (ChainedRecord r : g.records()) {
        text.append(JsonLinesCodec.recordLine(r)).append('\n');
      }
      if (g.checkpoint() != null) {
        text.append(JsonLinesCodec.checkpointLine(g.checkpoint())).append('\n');
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      long pos = size;
      if (preallocates && pos + bytes.length > allocated && pos >= noExtensionBefore) {
        extend(pos + bytes.length);
      }
      boolean force = forced || g.checkpoint() != null;
      try {
        writeFully(channel, ByteBuffer.wrap(bytes), pos);
        if (force) {
          channel.force(false);
        }
      } catch (IOException e) {
        undo(pos);
        throw new PledgeException("cannot append to audit trail " + file + ": " + e.getMessage()
            + " (" + g.records().size() + " record(s) not written)", e);
      }
      size = pos + bytes.length;
      allocated = Math.max(allocated, size);
      Head h = head;
      long seq = g.records().isEmpty() ? h.seq() : g.records().get(g.records().size() - 1).seq();
      String hash = g.records().isEmpty() ? h.hash() : g.records().get(g.records().size() - 1).hash();
      AuditCheckpoint cp = g.checkpoint();
      head = new Head(seq, hash, cp == null ? h.checkpointSeq() : cp.seq(), cp == null ? h.checkpointAt() : cp.at());
      if (force) {
        durable = size;
        durableSeq = seq;
      }
      return g;
    }
  }

  /**
   * Forces every group written so far. The force runs outside the append lock, so appends carry on
   * meanwhile (their groups may or may not be covered by it; a later force covers them).
   *
   * @throws PledgeException when the force fails; the store then refuses every later append and force
   */
  @Override
  public void force() {
    long target;
    long seq;
    synchronized (appendLock) {
      if (lock == null || closed) {
        return; // a reader has nothing to force; close() forced what was written
      }
      PledgeException failed = failure;
      if (failed != null) {
        throw new PledgeException(failed.getMessage(), failed);
      }
      target = size;
      seq = head.seq();
      if (target <= durable) {
        return;
      }
    }
    boolean interrupted = Thread.interrupted(); // an interrupted force would close the file under every writer
    try {
      channel.force(false);
    } catch (IOException e) {
      synchronized (appendLock) {
        if (closed && e instanceof java.nio.channels.ClosedChannelException) {
          return; // closed under us: close() forced first
        }
        throw failed(e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (appendLock) {
      if (target > durable) {
        durable = target;
        durableSeq = seq;
      }
    }
  }

  /** Fails the store for good after a force of written data failed (under appendLock); returns why. */
  private PledgeException failed(IOException e) {
    if (failure == null) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      failure = new PledgeException("audit trail " + file + " failed: forcing it to disk failed (" + cause
          + "); records after seq " + durableSeq + " were acknowledged but may not be on disk, and nothing more is"
          + " appended; close the trail, check the disk, then verify the trail ('pledge audit verify') and open it"
          + " again", e);
      LOG.error("{}", failure.getMessage(), e);
    }
    return failure;
  }

  /**
   * Writes zeros from the end of the file to past {@code end}, and forces them with the file's size,
   * so that the forces of the groups written into them flush data only. When that fails (a full disk),
   * cuts them off again and leaves the group to grow the file itself.
   */
  private void extend(long end) {
    long from = allocated;
    long to = end + extension;
    try {
      long p = from;
      while (p < to) {
        ByteBuffer z = ZEROS.duplicate();
        z.limit((int) Math.min(z.capacity(), to - p));
        p += channel.write(z, p);
      }
      channel.force(true);
      durable = size;
      durableSeq = head.seq();
      allocated = to;
      extension = Math.min(MAX_EXTENSION, extension * 2);
    } catch (IOException e) {
      noExtensionBefore = end + extension;
      try {
        channel.truncate(from);
      } catch (IOException again) {
        needsRepair = true;
      }
      LOG.debug("audit trail {}: cannot extend the file ahead of its data ({}); writing at its end", file,
          e.getMessage());
    }
  }

  /** Cuts the file back to {@code pos} after a failed group; if even that fails, repairs before the next one. */
  private void undo(long pos) {
    try {
      channel.truncate(pos);
      allocated = pos;
    } catch (IOException e) {
      needsRepair = true;
      LOG.warn("audit trail {}: could not cut a failed write back ({}); repairing before the next append", file,
          e.getMessage());
      return;
    }
    try {
      channel.force(false);
      durable = pos;
      durableSeq = head.seq();
    } catch (IOException e) {
      if (durable < pos) {
        failed(e); // groups written earlier without a force, and acknowledged, may be lost
        return;
      }
      needsRepair = true;
      LOG.warn("audit trail {}: could not cut a failed write back ({}); repairing before the next append", file,
          e.getMessage());
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = p < 0 ? ch.write(buf) : ch.write(buf, p);
      if (p >= 0) {
        p += n;
      }
    }
  }

  @Override
  public Head head() {
    Head h = head;
    if (h != null) {
      return h;
    }
    try {
      return readHead(size);
    } catch (IOException e) {
      throw new PledgeException("cannot read audit trail " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Stream<ChainedRecord> records(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    return lines(line -> {
      if (JsonLinesCodec.looksLikeCheckpoint(line.text)) {
        return null;
      }
      JsonLinesCodec.Parsed p = JsonLinesCodec.parse(line.text, file + ":" + line.number);
      return p.record() != null && query.matches(p.record().record()) ? p.record() : null;
    });
  }

  @Override
  public Stream<AuditCheckpoint> checkpoints() {
    return lines(line -> {
      if (!JsonLinesCodec.looksLikeCheckpoint(line.text)) {
        return null;
      }
      try {
        return JsonLinesCodec.parse(line.text, file + ":" + line.number).checkpoint();
      } catch (AuditFormatException e) {
        return null; // a damaged checkpoint counts as a missing one; verification says so
      }
    });
  }

  private record Line(long number, String text) {}

  /** The whole lines of the file up to its length now, mapped; null results are skipped. */
  private <T> Stream<T> lines(Function<Line, T> map) {
    long limit = size;
    FileChannel in;
    try {
      in = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new PledgeException("cannot read audit trail " + file + ": " + e.getMessage(), e);
    }
    Iterator<T> it = new Iterator<>() {
      private byte[] buf = new byte[BLOCK];
      private int start;
      private int end;
      private long read;
      private long number;
      private T next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          String text = nextLine();
          if (text == null) {
            return false;
          }
          if (!text.isBlank()) {
            next = map.apply(new Line(number, text));
          }
        }
        return true;
      }

      private String nextLine() {
        int scanFrom = start;
        while (true) {
          for (int i = scanFrom; i < end; i++) {
            if (buf[i] == '\n') {
              String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
              start = i + 1;
              number++;
              return line;
            }
          }
          if (start > 0) { // keep the partial line at the front of the buffer
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
          }
          if (end == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
          }
          scanFrom = end;
          int want = (int) Math.min(buf.length - end, limit - read);
          if (want <= 0) {
            return null; // a line without its newline is a write in progress or torn: not part of the trail
          }
          int n;
          try {
            n = in.read(ByteBuffer.wrap(buf, end, want), read);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit trail " + file + ": " + e.getMessage(), e);
          }
          if (n <= 0) {
            return null;
          }
          read += n;
          end += n;
        }
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T t = next;
        next = null;
        return t;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(() -> closeQuietly(in));
  }

  /** The file. */
  public Path file() {
    return file;
  }

  @Override
  public String describe() {
    return "file:" + file;
  }

  @Override
  public void close() {
    if (key != null) {
      synchronized (OPEN) {
        synchronized (appendLock) {
          if (closed || --refs > 0) {
            return;
          }
        }
        OPEN.remove(key);
      }
    }
    synchronized (appendLock) {
      if (closed) {
        return;
      }
      closed = true;
      PledgeException unforced = null;
      if (lock != null && failure == null && size > durable) {
        try {
          channel.force(false);
          durable = size;
        } catch (IOException e) {
          unforced = failed(e);
        }
      }
      if (lock != null && allocated > size) {
        try {
          channel.truncate(size); // the zeros ahead of the data; the data was forced already
          channel.force(true);
        } catch (IOException e) {
          LOG.warn("audit trail {}: cannot cut the zeros after its data ({}); the next open does", file,
              e.getMessage());
        }
      }
      try {
        if (lock != null) {
          lock.release();
        }
      } catch (IOException ignored) {
        // the channel's close releases it anyway
      }
      closeQuietly(channel);
      if (unforced != null) {
        throw new PledgeException(unforced.getMessage(), unforced);
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing to add to the failure already reported
      }
    }
  }

  @Override
  public String toString() {
    return "JsonLinesAuditStore[" + file + "]";
  }
}
