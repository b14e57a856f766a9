package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the entries of an untrusted directory archive under a fresh, private root, whatever the
 * archive's format. Every path is checked before use; symbolic links are only recorded while the
 * entries stream in, and created in {@link #finish()} once all of them can be resolved together, so
 * no entry is ever written through a link and no link can be made to point outside the root by a
 * later one.
 *
 * <p>Files up to {@value #SMALL} bytes are read whole on the caller's thread and created, written
 * and stamped on {@value #WRITERS} writer threads, so the kernel's work of creating many small files
 * runs beside the reading, decryption and decompression of the next ones, and on both cores; at most
 * {@value #IN_FLIGHT} bytes wait for a writer. Each directory's files go to one writer, the
 * directories taking turns: the kernel creates a file holding its directory's lock, so two writers
 * creating in the same directory take turns anyway, the waiting one spinning on that lock, while two
 * directories' files are created side by side. Larger files stream on the caller's thread. A
 * writer's failure fails the next call. Not thread-safe: one caller, which must {@link #close()} it.
 */
final class Extractor implements AutoCloseable {
  /** Files up to this size go to the writer threads. */
  static final int SMALL = 1 << 20;
  /** Bytes of file content read but not yet written, at most. */
  static final int IN_FLIGHT = 4 << 20;
  /** The smallest pooled buffer for a small file's content. */
  static final int MIN_BUFFER = 4096;
  /** Writer threads. */
  static final int WRITERS = 2;

  /** How many links one resolution may follow before it counts as a loop (Linux's own limit). */
  private static final int MAX_HOPS = 40;

  /** An entry's metadata: permission bits (-1 unknown), owner ids (-1 unknown), time, user attributes. */
  record Meta(int mode, long uid, long gid, FileTime mtime, Map<String, byte[]> xattrs) {}

  private record Dir(Path path, int depth, Meta meta) {}

  private final Path root;
  private final boolean canChown;
  private final byte[] buffer = new byte[1 << 16];
  private final Set<String> directories = new HashSet<>();
  private final Set<String> files = new HashSet<>();
  private final Map<String, String> links = new LinkedHashMap<>();
  private final Map<String, Meta> linkMeta = new LinkedHashMap<>();
  private final List<Dir> dirs = new ArrayList<>();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  // buffers of small files, by power-of-two size class, reused so they do not pile up as garbage
  // that outlives the young generation while it waits for a writer
  @SuppressWarnings("unchecked")
  private final java.util.concurrent.ConcurrentLinkedQueue<byte[]>[] pooled =
      new java.util.concurrent.ConcurrentLinkedQueue[sizeClass(SMALL) + 1];
  private final java.util.concurrent.atomic.AtomicLong pooledBytes = new java.util.concurrent.atomic.AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private ExecutorService[] writers;
  // which writer creates the files of a directory (by its path relative to the root)
  private final Map<String, Integer> writerOf = new java.util.HashMap<>();
  // the permission bits a file created here keeps of those asked for (those the umask does not take)
  private final int keptByUmask;
  // the access time restored entries get: the archive keeps none, and it is when they were restored
  private final FileTime restoredAt;

  Extractor(Path root, java.time.Instant restoredAt) throws IOException {
    this.restoredAt = FileTime.from(restoredAt);
    for (int i = 0; i < pooled.length; i++) {
      pooled[i] = new java.util.concurrent.ConcurrentLinkedQueue<>();
    }
    this.root = root;
    directories.add("");
    // what the restoring process creates is its own: only root may hand it to another owner
    this.canChown = ((Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    // Java cannot read the umask; a file created with every bit shows it (the root is fresh and ours)
    Path probe = root.resolve(".pledge-umask-" + Long.toHexString(System.nanoTime()));
    Files.createFile(probe, PosixFilePermissions.asFileAttribute(permissions(0777)));
    int kept = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS)) {
      kept |= 1 << (8 - perm.ordinal());
    }
    Files.delete(probe);
    this.keptByUmask = kept;
  }

  /** An archive name as a path relative to the root ({@code ./a/b/} → {@code a/b}; {@code ./} → empty). */
  static String relative(String name) throws IOException {
    return relative(name, false);
  }

  /** As {@link #relative(String)}; {@code strict} takes the name as it must be, with no {@code ./} or trailing slash. */
  static String relative(String name, boolean strict) throws IOException {
    String rel = name;
    while (!strict && rel.startsWith("./")) {
      rel = rel.substring(2);
    }
    while (!strict && rel.endsWith("/")) {
      rel = rel.substring(0, rel.length() - 1);
    }
    if (!strict && rel.equals(".")) {
      rel = "";
    }
    if (rel.startsWith("/") || rel.contains("\\") || rel.contains("\0")) {
      throw new IOException("archive entry '" + name + "' is not a relative path; refused");
    }
    if (!rel.isEmpty()) {
      for (String part : rel.split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          throw new IOException("archive entry '" + name + "' escapes the restore root; refused");
        }
      }
    }
    return rel;
  }

  private Path resolve(String rel) throws IOException {
    // an entry below a link of the archive would be written wherever the link points
    for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      String prefix = rel.substring(0, i);
      if (links.containsKey(prefix)) {
        throw new IOException("archive entry '" + rel + "' goes through the archive's link '" + prefix + "'; refused");
      }
      if (files.contains(prefix)) {
        throw new IOException("archive entry '" + rel + "' lies below the file '" + prefix + "'; refused");
      }
    }
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw new IOException("archive entry '" + rel + "' escapes the restore root; refused");
    }
    return p;
  }

  private void ensureParent(String rel) throws IOException {
    int slash = rel.lastIndexOf('/');
    String parent = slash < 0 ? "" : rel.substring(0, slash);
    if (directories.contains(parent)) {
      return;
    }
    Files.createDirectories(root.resolve(parent));
    for (String p = parent; !p.isEmpty() && directories.add(p); ) {
      int s = p.lastIndexOf('/');
      p = s < 0 ? "" : p.substring(0, s);
    }
  }

  private void claim(String rel) throws IOException {
    if (files.contains(rel) || links.containsKey(rel) || (!rel.isEmpty() && directories.contains(rel))) {
      throw new IOException("archive entry '" + rel + "' appears twice; refused");
    }
  }

  void directory(String rel, Meta meta) throws IOException {
    checkWriters();
    Path p = resolve(rel);
    if (files.contains(rel) || links.containsKey(rel)) {
      throw new IOException("archive entry '" + rel + "' appears twice; refused");
    }
    if (!rel.isEmpty() && !directories.contains(rel)) {
      ensureParent(rel);
      Files.createDirectory(p);
      directories.add(rel);
    }
    dirs.add(new Dir(p, rel.isEmpty() ? 0 : rel.split("/").length, meta));
  }

  void file(String rel, long size, InputStream in, Meta meta) throws IOException {
    checkWriters();
    if (rel.isEmpty()) {
      throw new IOException("archive entry for the root is a file; refused");
    }
    if (size < 0) {
      throw new IOException("archive entry '" + rel + "' has a negative size");
    }
    Path p = resolve(rel);
    claim(rel);
    ensureParent(rel);
    if (size <= SMALL) {
      int n = (int) size;
      int sizeClass = sizeClass(n);
      int permits = MIN_BUFFER << sizeClass;
      acquire(permits);
      byte[] content = pooled[sizeClass].poll();
      if (content == null) {
        content = new byte[permits];
      } else {
        pooledBytes.addAndGet(-permits);
      }
      int read;
      try {
        read = in.readNBytes(content, 0, n);
      } catch (IOException | RuntimeException e) {
        inFlight.release(permits);
        throw e;
      }
      if (read < n) {
        inFlight.release(permits);
        throw new IOException("archive entry '" + rel + "' ends early");
      }
      files.add(rel);
      byte[] body = content;
      writerFor(rel).execute(() -> {
        try {
          if (failure.get() == null) {
            write(p, body, n, meta);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          recycle(sizeClass, body);
          inFlight.release(permits);
        }
      });
      return;
    }
    boolean modeSet;
    try (FileChannel ch = create(p, meta); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      modeSet = modeAtCreation(meta);
      long left = size;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("archive entry '" + rel + "' ends early");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    files.add(rel);
    apply(p, meta, false, modeSet);
  }

  /** On a writer thread: creates {@code p}, writes {@code content} and applies {@code meta}. */
  private void write(Path p, byte[] content, int length, Meta meta) throws IOException {
    try (FileChannel ch = create(p, meta)) {
      ByteBuffer b = ByteBuffer.wrap(content, 0, length);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
    apply(p, meta, false, modeAtCreation(meta));
  }

  /**
   * Creates {@code p} for writing with the entry's permission bits already in the create call, so
   * that a file whose bits the umask leaves alone needs no {@code chmod} afterwards.
   */
  private FileChannel create(Path p, Meta meta) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (meta.mode() < 0) {
      return FileChannel.open(p, options);
    }
    return FileChannel.open(p, options, PosixFilePermissions.asFileAttribute(permissions(meta.mode())));
  }

  /** Whether {@link #create} gave the file exactly the entry's permission bits (the umask took none of them). */
  private boolean modeAtCreation(Meta meta) {
    return meta.mode() >= 0 && (meta.mode() & 0777 & ~keptByUmask) == 0;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission perm : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - perm.ordinal()))) != 0) {
        perms.add(perm);
      }
    }
    return perms;
  }

  /** The power of two, as a shift of {@link #MIN_BUFFER}, of the pooled buffer that holds {@code n} bytes. */
  private static int sizeClass(int n) {
    int c = 0;
    while ((MIN_BUFFER << c) < n) {
      c++;
    }
    return c;
  }

  /** Keeps a written file's buffer for the next file of its size class, up to {@link #IN_FLIGHT} bytes in all. */
  private void recycle(int sizeClass, byte[] buffer) {
    if (pooledBytes.addAndGet(buffer.length) <= IN_FLIGHT) {
      pooled[sizeClass].add(buffer);
    } else {
      pooledBytes.addAndGet(-buffer.length);
    }
  }

  /** The writer of the directory {@code rel} lies in: the next in turn for a directory not seen before. */
  private ExecutorService writerFor(String rel) {
    if (writers == null) {
      writers = new ExecutorService[WRITERS];
      AtomicInteger n = new AtomicInteger();
      for (int i = 0; i < WRITERS; i++) {
        writers[i] = Executors.newFixedThreadPool(1, r -> {
          Thread t = new Thread(r, "pledge-restore-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
      }
    }
    int slash = rel.lastIndexOf('/');
    String parent = slash < 0 ? "" : rel.substring(0, slash);
    Integer w = writerOf.get(parent);
    if (w == null) {
      w = writerOf.size() % WRITERS;
      writerOf.put(parent, w);
    }
    return writers[w];
  }

  private void acquire(int permits) throws IOException {
    try {
      inFlight.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for the restore's file writers");
    }
  }

  /** Throws a writer's failure, if one failed. */
  private void checkWriters() throws IOException {
    Throwable t = failure.get();
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw new IOException(io.getMessage(), io);
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t);
  }

  /** Waits until every file handed to the writers is written, then throws a writer's failure. */
  private void awaitWriters() throws IOException {
    if (writers != null) {
      acquire(IN_FLIGHT);
      inFlight.release(IN_FLIGHT);
    }
    checkWriters();
  }

  /** Stops the writer threads, waiting for the one file each may be writing. Idempotent. */
  @Override
  public void close() throws IOException {
    if (writers == null) {
      return;
    }
    for (ExecutorService w : writers) {
      w.shutdownNow();
    }
    try {
      for (ExecutorService w : writers) {
        while (!w.awaitTermination(1, TimeUnit.MINUTES)) {
          // a writer stuck in the file system; the staging tree must not be deleted under it
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted stopping the restore's file writers");
    }
  }

  void hardLink(String rel, String target) throws IOException {
    awaitWriters(); // its target may still be with a writer
    Path p = resolve(rel);
    if (!files.contains(target)) {
      throw new IOException("archive hard link '" + rel + "' names '" + target + "', which is not a file restored before it; refused");
    }
    claim(rel);
    ensureParent(rel);
    Files.createLink(p, resolve(target));
    files.add(rel);
  }

  void symlink(String rel, String target, Meta meta) throws IOException {
    if (rel.isEmpty()) {
      throw new IOException("archive entry for the root is a link; refused");
    }
    resolve(rel);
    claim(rel);
    if (target.isEmpty() || target.startsWith("/") || target.contains("\0")) {
      throw new IOException("archive link '" + rel + "' points outside the restore root ('" + target + "'); refused");
    }
    links.put(rel, target);
    linkMeta.put(rel, meta);
  }

  /** Creates the links once all are known, then applies directory metadata deepest first. */
  void finish() throws IOException {
    awaitWriters();
    for (Map.Entry<String, String> l : links.entrySet()) {
      resolve(l.getKey()); // no link may sit below another one
      checkInside(l.getKey(), l.getValue());
    }
    for (Map.Entry<String, String> l : links.entrySet()) {
      Path p = root.resolve(l.getKey());
      ensureParent(l.getKey());
      try {
        Files.createSymbolicLink(p, Path.of(l.getValue()));
      } catch (FileAlreadyExistsException e) {
        throw new IOException("archive link '" + l.getKey() + "' clashes with another entry of the same path; refused", e);
      }
      apply(p, linkMeta.get(l.getKey()), true);
    }
    dirs.sort(Comparator.comparingInt(Dir::depth).reversed());
    for (Dir d : dirs) {
      apply(d.path(), d.meta(), false);
    }
  }

  /**
   * Resolves the link {@code rel → target} through every link of the archive, as the kernel would
   * once all exist, and refuses it when any step leaves the root or the chain does not end.
   */
  private void checkInside(String rel, String target) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    int slash = rel.lastIndexOf('/');
    if (slash > 0) {
      for (String c : rel.substring(0, slash).split("/")) {
        todo.addLast(c);
      }
    }
    for (String c : target.split("/")) {
      todo.addLast(c);
    }
    List<String> at = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (at.isEmpty()) {
          throw new IOException("archive link '" + rel + "' points outside the restore root ('" + target + "'); refused");
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(c);
      String next = links.get(String.join("/", at));
      if (next != null) {
        if (++hops > MAX_HOPS) {
          throw new IOException("archive link '" + rel + "' resolves through a loop of links; refused");
        }
        if (next.startsWith("/")) {
          throw new IOException("archive link '" + rel + "' leads to an absolute link; refused");
        }
        at.remove(at.size() - 1);
        String[] parts = next.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          todo.addFirst(parts[i]);
        }
      }
    }
  }

  private void apply(Path p, Meta meta, boolean link) throws IOException {
    apply(p, meta, link, false);
  }

  /** Applies {@code meta} to {@code p}; {@code modeSet}: the file was created with its permission bits. */
  private void apply(Path p, Meta meta, boolean link, boolean modeSet) throws IOException {
    if (canChown && meta.uid() >= 0 && meta.gid() >= 0 && (meta.uid() != 0 || meta.gid() != 0)) {
      Files.setAttribute(p, "unix:uid", (int) meta.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) meta.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    if (!link) {
      for (Map.Entry<String, byte[]> x : meta.xattrs().entrySet()) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        if (view == null) {
          throw new IOException("the restore target's file system keeps no extended attributes, and '" + root.relativize(p) + "' has some");
        }
        view.write(x.getKey(), ByteBuffer.wrap(x.getValue()));
      }
      if (meta.mode() >= 0 && !modeSet) {
        Files.setPosixFilePermissions(p, permissions(meta.mode()));
      }
    }
    if (meta.mtime() != null) {
      try {
        // only a link's own time needs O_NOFOLLOW (and the lstat the JDK does before): files and
        // directories here were created by this restore, below a root no link of the archive reaches yet
        BasicFileAttributeView view = link
            ? Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            : Files.getFileAttributeView(p, BasicFileAttributeView.class);
        // with both times given, the JDK sets them without reading the file's attributes first
        view.setTimes(meta.mtime(), restoredAt, null);
      } catch (IOException | UnsupportedOperationException e) {
        if (!link) {
          throw e;
        }
        // some platforms cannot set a link's own time; the link itself is restored
      }
    }
  }
}
