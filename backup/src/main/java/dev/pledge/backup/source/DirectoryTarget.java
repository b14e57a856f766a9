package dev.pledge.backup.source;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.stream.Stream;

/**
 * Restores a {@link DirectorySource} archive into a directory that is absent or empty. The tree is
 * first built in a hidden sibling directory and renamed into place only when complete, so a failed
 * restore leaves the target as it was. Entries whose path is absolute, contains {@code ..}, or whose
 * link points outside the root are refused. Permissions and modification times are restored.
 */
public final class DirectoryTarget implements StagingRestoreTarget {
  private final Path target;

  private DirectoryTarget(Path target) {
    this.target = target.toAbsolutePath().normalize();
  }

  /** A restore into {@code target}, which must be absent or an empty directory. */
  public static DirectoryTarget of(Path target) {
    return new DirectoryTarget(Objects.requireNonNull(target, "target"));
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
      extract(plaintext, staging);
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

  private static void extract(InputStream plaintext, Path root) throws IOException {
    DataInputStream in = new DataInputStream(plaintext);
    byte[] magic = new byte[DirectorySource.MAGIC.length];
    in.readFully(magic);
    if (!Arrays.equals(magic, DirectorySource.MAGIC)) {
      throw new IOException("the backup is not a directory archive");
    }
    record Times(Path path, long mtime, int mode) {}
    List<Times> dirs = new ArrayList<>();
    byte[] buf = new byte[1 << 16];
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
      String rel = in.readUTF();
      int mode = in.readInt();
      long mtime = in.readLong();
      Path p = safeResolve(root, rel);
      if (type == DirectorySource.DIR) {
        Files.createDirectories(p);
        dirs.add(new Times(p, mtime, mode));
      } else if (type == DirectorySource.FILE) {
        long size = in.readLong();
        if (size < 0) {
          throw new IOException("archive entry '" + rel + "' has a negative size");
        }
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p, java.nio.file.StandardOpenOption.CREATE_NEW)) {
          long left = size;
          while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
              throw new IOException("archive entry '" + rel + "' ends early");
            }
            out.write(buf, 0, n);
            left -= n;
          }
        }
        applyMode(p, mode);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime));
      } else if (type == DirectorySource.LINK) {
        String link = in.readUTF();
        Path linkTarget = Path.of(link);
        if (linkTarget.isAbsolute() || !p.getParent().resolve(linkTarget).normalize().startsWith(root)) {
          throw new IOException("archive link '" + rel + "' points outside the restore root ('" + link + "'); refused");
        }
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, linkTarget);
      } else {
        throw new IOException("the directory archive has an unknown entry type " + type);
      }
    }
    // directories last, deepest first, so writing their children does not move their times
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Times t = dirs.get(i);
      applyMode(t.path(), t.mode());
      Files.setLastModifiedTime(t.path(), FileTime.fromMillis(t.mtime()));
    }
  }

  private static Path safeResolve(Path root, String rel) throws IOException {
    if (rel.isEmpty()) {
      return root;
    }
    if (rel.startsWith("/") || rel.contains("\\") || rel.contains("\0")) {
      throw new IOException("archive entry '" + rel + "' is not a relative path; refused");
    }
    for (String part : rel.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IOException("archive entry '" + rel + "' escapes the restore root; refused");
      }
    }
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IOException("archive entry '" + rel + "' escapes the restore root; refused");
    }
    // a link restored earlier must not carry later entries outside the root
    Path real = p.getParent();
    while (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
      real = real.getParent();
    }
    if (!real.toRealPath().startsWith(root.toRealPath())) {
      throw new IOException("archive entry '" + rel + "' goes through a link outside the restore root; refused");
    }
    return p;
  }

  private static void applyMode(Path p, int mode) throws IOException {
    if (mode < 0) {
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission perm : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - perm.ordinal()))) != 0) {
        perms.add(perm);
      }
    }
    view.setPermissions(perms);
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
