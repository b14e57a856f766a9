package dev.pledge.backup.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Restores a {@link DirectorySource} archive (POSIX tar, or the {@code PLEDGE-DIR-1} format of
 * earlier releases) into a directory that is absent or empty. The tree is built in a hidden sibling
 * directory and renamed into place only when complete (and, through the engine, only once the whole
 * backup authenticated), so a failed restore leaves the target as it was. Permissions, modification
 * times to the nanosecond, user extended attributes and hard links are restored; owner and group ids
 * too when the process may set them (as root), as GNU tar does.
 *
 * <p>The archive is not trusted: an entry whose path is absolute, contains {@code ..} or goes
 * through a symbolic link of the archive is refused; symbolic links are created last, after every
 * link of the archive was resolved together, following chains and refusing any whose resolution
 * leaves the restore root at any step (a link to {@code .} followed by a link that climbs through
 * it included) or loops; a hard link must name a regular file restored before it. A refusal fails
 * the whole restore.
 */
public final class DirectoryTarget implements StagingRestoreTarget {
  private final Path target;
  private final java.time.Clock clock;

  private DirectoryTarget(Path target, java.time.Clock clock) {
    this.target = target.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** A restore into {@code target}, which must be absent or an empty directory. */
  public static DirectoryTarget of(Path target) {
    return of(target, java.time.Clock.systemUTC());
  }

  /**
   * A restore into {@code target}, which must be absent or an empty directory; {@code clock} gives
   * the access time of what is restored (the archive keeps none: it is when they were restored).
   */
  public static DirectoryTarget of(Path target, java.time.Clock clock) {
    return new DirectoryTarget(Objects.requireNonNull(target, "target"), Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public String kind() {
    return DirectorySource.KIND;
  }

  @Override
  public String description() {
    return "dir:" + target;
  }

  @Override
  public Staged stage(InputStream plaintext) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("restore target " + target + " exists and is not a directory");
      }
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException("restore target " + target + " is not empty; restore into an empty or new directory");
        }
      }
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".restoring-");
    try {
      extract(plaintext, staging, clock.instant());
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
    return new Staged() {
      private boolean done;

      @Override
      public void commit() throws IOException {
        if (done) {
          return;
        }
        try {
          try {
            Files.deleteIfExists(target);
          } catch (DirectoryNotEmptyException e) {
            throw new IOException("restore target " + target + " was written to during the restore", e);
          }
          FileTime rootTime = Files.getLastModifiedTime(staging);
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          Files.setLastModifiedTime(target, rootTime);
          done = true;
        } catch (IOException | RuntimeException e) {
          discard();
          throw e;
        }
      }

      @Override
      public void discard() {
        if (!done) {
          done = true;
          deleteTree(staging);
        }
      }
    };
  }

  private static void extract(InputStream plaintext, Path root, java.time.Instant restoredAt) throws IOException {
    byte[] head = plaintext.readNBytes(DirectorySource.MAGIC.length);
    try (Extractor x = new Extractor(root, restoredAt)) {
      if (Arrays.equals(head, DirectorySource.MAGIC)) {
        extractLegacy(new DataInputStream(plaintext), x);
      } else {
        // the tar reader takes 512-byte headers a record at a time and each PAX header a byte at a time:
        // from a 64 KiB buffer each is an array copy, not a walk down the decryption streams
        extractTar(new BufferedInputStream(new SequenceInputStream(new ByteArrayInputStream(head), plaintext), 1 << 16), x);
      }
      x.finish();
    }
  }

  private static void extractTar(InputStream in, Extractor x) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    TarArchiveEntry e;
    boolean any = false;
    try {
      while ((e = tar.getNextEntry()) != null) {
        any = true;
        String rel = Extractor.relative(e.getName());
        Extractor.Meta meta = new Extractor.Meta(e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
            e.getLastModifiedTime(), xattrs(e.getExtraPaxHeaders()));
        if (e.isDirectory()) {
          x.directory(rel, meta);
        } else if (e.isSymbolicLink()) {
          x.symlink(rel, e.getLinkName(), meta);
        } else if (e.isLink()) {
          x.hardLink(rel, Extractor.relative(e.getLinkName()));
        } else if (e.isFile()) {
          x.file(rel, e.getSize(), tar, meta);
        }
        // devices, pipes and tar's own extension entries carry no content to restore
      }
    } catch (IllegalArgumentException malformed) {
      throw new IOException("the directory archive is malformed: " + malformed.getMessage(), malformed);
    }
    if (!any) {
      throw new IOException("the backup is not a directory archive");
    }
  }

  private static Map<String, byte[]> xattrs(Map<String, String> pax) throws IOException {
    if (pax.isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> out = new TreeMap<>();
    for (Map.Entry<String, String> h : pax.entrySet()) {
      String k = h.getKey();
      if (k.startsWith("SCHILY.xattr.user.")) {
        out.put(k.substring("SCHILY.xattr.user.".length()), h.getValue().getBytes(StandardCharsets.UTF_8));
      } else if (k.startsWith("LIBARCHIVE.xattr.user.")) {
        try {
          out.put(java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.user.".length()), StandardCharsets.UTF_8),
              Base64.getDecoder().decode(h.getValue()));
        } catch (IllegalArgumentException bad) {
          throw new IOException("archive attribute '" + k + "' is not base64", bad);
        }
      }
    }
    return out;
  }

  /** The {@code PLEDGE-DIR-1} format of earlier releases: type, path, mode, millisecond mtime, content. */
  private static void extractLegacy(DataInputStream in, Extractor x) throws IOException {
    while (true) {
      int type;
      try {
        type = in.readUnsignedByte();
      } catch (EOFException e) {
        throw new IOException("the directory archive ends before its end marker", e);
      }
      if (type == DirectorySource.END) {
        break;
      }
      String rel = Extractor.relative(in.readUTF(), true);
      int mode = in.readInt();
      long mtime = in.readLong();
      Extractor.Meta meta = new Extractor.Meta(mode, -1, -1, FileTime.fromMillis(mtime), Map.of());
      if (type == DirectorySource.DIR) {
        x.directory(rel, meta);
      } else if (type == DirectorySource.FILE) {
        long size = in.readLong();
        x.file(rel, size, in, meta);
      } else if (type == DirectorySource.LINK) {
        x.symlink(rel, in.readUTF(), meta);
      } else {
        throw new IOException("the directory archive has an unknown entry type " + type);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: the staging directory is hidden and named after the target
        }
      });
    } catch (IOException ignored) {
      // nothing more can be done
    }
  }

  @Override
  public String toString() {
    return "DirectoryTarget[" + target + "]";
  }
}
