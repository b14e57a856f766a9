package dev.pledge.backup.source;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A directory tree ({@code dir:/path}), archived in a small tar-like stream: every directory,
 * regular file and symbolic link with its path relative to the root, POSIX permissions and
 * modification time. Entries are written in sorted order, so the same tree gives the same bytes.
 * Restore with {@link DirectoryTarget}. Not thread-safe (one backup at a time).
 */
public final class DirectorySource implements BackupSource {
  /** The kind shared with {@link DirectoryTarget}. */
  public static final String KIND = "dir";
  static final byte[] MAGIC = "PLEDGE-DIR-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int DIR = 'd';
  static final int FILE = 'f';
  static final int LINK = 'l';
  static final int END = 'e';

  private final Path root;

  private DirectorySource(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The tree under {@code root}, which must be a directory when the backup runs. */
  public static DirectorySource of(Path root) {
    return new DirectorySource(Objects.requireNonNull(root, "root"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "dir:" + root;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("source " + root + " is not a directory");
    }
    DataOutputStream data = new DataOutputStream(out);
    data.write(MAGIC);
    writeEntry(data, root, "", Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    List<Path> children = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root)) {
          children.add(dir);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        children.add(file);
        return FileVisitResult.CONTINUE;
      }
    });
    children.sort(null);
    for (Path p : children) {
      BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
      writeEntry(data, p, rel, attrs);
    }
    data.writeByte(END);
    data.flush();
  }

  private static void writeEntry(DataOutputStream data, Path p, String rel, BasicFileAttributes attrs)
      throws IOException {
    if (attrs.isDirectory()) {
      data.writeByte(DIR);
    } else if (attrs.isSymbolicLink()) {
      data.writeByte(LINK);
    } else if (attrs.isRegularFile()) {
      data.writeByte(FILE);
    } else {
      return; // sockets, devices and pipes are not content
    }
    data.writeUTF(rel);
    data.writeInt(mode(p));
    data.writeLong(attrs.lastModifiedTime().toMillis());
    if (attrs.isSymbolicLink()) {
      data.writeUTF(Files.readSymbolicLink(p).toString().replace(java.io.File.separatorChar, '/'));
    } else if (attrs.isRegularFile()) {
      long size = attrs.size();
      data.writeLong(size);
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("file " + p + " shrank while it was being backed up");
          }
          data.write(buf, 0, n);
          left -= n;
        }
      }
    }
  }

  static int mode(Path p) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return -1;
    }
    Set<PosixFilePermission> perms = view.readAttributes().permissions();
    int mode = 0;
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }

  @Override
  public String toString() {
    return "DirectorySource[" + root + "]";
  }
}
