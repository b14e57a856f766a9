package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A directory tree ({@code dir:/path}), archived as a POSIX (PAX) tar stream that GNU tar and
 * bsdtar extract: every directory, regular file and symbolic link under the root, named {@code
 * ./relative/path}, with its permission bits, owner and group ids (and names), modification time to
 * the nanosecond, user extended attributes ({@code SCHILY.xattr.user.*}, or {@code
 * LIBARCHIVE.xattr.user.*} base64 for values that are not UTF-8 text), and hard links stored once
 * (later names as tar hard-link entries). Sockets, pipes and devices are not content and are left
 * out. Entries are written in sorted order, so the same tree gives the same bytes. Restore with
 * {@link DirectoryTarget}, which also reads the {@code PLEDGE-DIR-1} format of earlier releases.
 * Not thread-safe (one backup at a time).
 */
public final class DirectorySource implements BackupSource {
  /** The kind shared with {@link DirectoryTarget}. */
  public static final String KIND = "dir";
  /** The magic of the format written before tar archives (read by {@link DirectoryTarget}). */
  static final byte[] MAGIC = "PLEDGE-DIR-1\n".getBytes(StandardCharsets.US_ASCII);
  static final int DIR = 'd';
  static final int FILE = 'f';
  static final int LINK = 'l';
  static final int END = 'e';
  private static final String ATTRIBUTES = "unix:mode,uid,gid,ino,dev,nlink,size,lastModifiedTime";

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
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
    // the PAX records are written here (Commons Compress would cut sub-second times to 7 digits):
    // the ustar header only ever holds values that fit it
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    new Writer(tar).tree(root, ".");
    tar.finish();
    tar.flush();
  }

  /** Walks the tree depth first in name order, writing each entry. */
  private static final class Writer {
    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[1 << 16];
    private final Map<String, String> firstNameOfInode = new HashMap<>();
    private final Map<Integer, String> userNames = new HashMap<>();
    private final Map<Integer, String> groupNames = new HashMap<>();

    Writer(TarArchiveOutputStream tar) {
      this.tar = tar;
    }

    void tree(Path dir, String name) throws IOException {
      entry(dir, name);
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        s.forEach(children::add);
      }
      children.sort(null);
      for (Path child : children) {
        String childName = name + "/" + child.getFileName();
        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          tree(child, childName);
        } else {
          entry(child, childName);
        }
      }
    }

    private void entry(Path p, String name) throws IOException {
      Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int type = mode & 0170000;
      TarArchiveEntry e;
      long size = 0;
      if (type == 0040000) {
        e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
      } else if (type == 0120000) {
        e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(Files.readSymbolicLink(p).toString());
      } else if (type == 0100000) {
        String inode = a.get("dev") + ":" + a.get("ino");
        String first = (Integer) a.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(inode, name) : null;
        if (first != null) {
          e = new TarArchiveEntry(name, TarConstants.LF_LINK);
          e.setLinkName(first);
        } else {
          e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
          size = (Long) a.get("size");
          e.setSize(size);
        }
      } else {
        return; // sockets, devices and pipes are not content
      }
      Map<String, String> pax = new java.util.LinkedHashMap<>();
      String full = e.getName();
      if (needsPax(full, 100)) {
        pax.put("path", full);
        e.setName(placeholder(full));
      }
      if (e.getLinkName() != null && !e.getLinkName().isEmpty() && needsPax(e.getLinkName(), 100)) {
        pax.put("linkpath", e.getLinkName());
        e.setLinkName(placeholder(e.getLinkName()));
      }
      e.setMode(mode & 07777);
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      e.setUserId(Math.min(uid & 0xFFFFFFFFL, 07777777));
      e.setGroupId(Math.min(gid & 0xFFFFFFFFL, 07777777));
      if ((uid & 0xFFFFFFFFL) > 07777777) {
        pax.put("uid", Long.toString(uid & 0xFFFFFFFFL));
      }
      if ((gid & 0xFFFFFFFFL) > 07777777) {
        pax.put("gid", Long.toString(gid & 0xFFFFFFFFL));
      }
      String user = userNames.computeIfAbsent(uid, u -> ownerName(p, false));
      String group = groupNames.computeIfAbsent(gid, g -> ownerName(p, true));
      if (needsPax(user, 32)) {
        pax.put("uname", user);
      } else {
        e.setUserName(user);
      }
      if (needsPax(group, 32)) {
        pax.put("gname", group);
      } else {
        e.setGroupName(group);
      }
      java.time.Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
      long seconds = mtime.getEpochSecond();
      e.setModTime(Math.max(0, Math.min(seconds, 077777777777L)) * 1000);
      if (mtime.getNano() != 0 || seconds < 0 || seconds > 077777777777L) {
        pax.put("mtime", java.math.BigDecimal.valueOf(seconds).add(java.math.BigDecimal.valueOf(mtime.getNano(), 9)).toPlainString());
      }
      if (size > 077777777777L) {
        pax.put("size", Long.toString(size));
      }
      if (type != 0120000) {
        xattrs(p, pax);
      }
      if (!pax.isEmpty()) {
        byte[] records = paxRecords(pax);
        TarArchiveEntry x = new TarArchiveEntry(placeholder("./PaxHeaders/" + p.getFileName()), TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        x.setSize(records.length);
        x.setModTime(e.getModTime());
        tar.putArchiveEntry(x);
        tar.write(records);
        tar.closeArchiveEntry();
      }
      tar.putArchiveEntry(e);
      if (size > 0) {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
          long left = size;
          while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
              throw new IOException("file " + p + " shrank while it was being backed up");
            }
            tar.write(buffer, 0, n);
            left -= n;
          }
        }
      }
      tar.closeArchiveEntry();
    }

    private static String ownerName(Path p, boolean group) {
      try {
        Object principal = Files.getAttribute(p, group ? "posix:group" : "posix:owner", LinkOption.NOFOLLOW_LINKS);
        String n = ((java.security.Principal) principal).getName();
        // an id without a name comes back as the number itself: leave the name out then
        return n.chars().allMatch(Character::isDigit) ? "" : n;
      } catch (IOException | RuntimeException e) {
        return "";
      }
    }

    /** Whether {@code value} cannot stand in a ustar field of {@code room} bytes as it is. */
    private static boolean needsPax(String value, int room) {
      if (value.length() >= room) {
        return true;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          return true;
        }
      }
      return false;
    }

    /** What a reader without PAX support sees instead: printable ASCII, at most 99 bytes. */
    private static String placeholder(String name) {
      boolean dir = name.endsWith("/");
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        b.append(c >= 0x20 && c <= 0x7e ? c : '_');
      }
      String s = b.length() > 98 ? b.substring(b.length() - 98) : b.toString();
      return dir && !s.endsWith("/") ? s + "/" : s;
    }

    /** POSIX pax records: {@code "<length> <key>=<value>\n"}, the length counting itself. */
    private static byte[] paxRecords(Map<String, String> pax) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (Map.Entry<String, String> r : pax.entrySet()) {
        byte[] body = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
        int length = body.length + 1;
        while (Integer.toString(length).length() + body.length != length) {
          length = Integer.toString(length).length() + body.length;
        }
        out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
      }
      return out.toByteArray();
    }

    private static void xattrs(Path p, Map<String, String> pax) throws IOException {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null) {
        return;
      }
      List<String> names;
      try {
        names = view.list();
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException unsupported) {
        return; // the file system keeps no user attributes
      }
      if (names.isEmpty()) {
        return;
      }
      names = new ArrayList<>(names);
      names.sort(null);
      for (String n : names) {
        ByteBuffer value = ByteBuffer.allocate(view.size(n));
        view.read(n, value);
        value.flip();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        String text = utf8(bytes);
        if (text != null && !n.contains("=")) {
          pax.put("SCHILY.xattr.user." + n, text);
        } else {
          pax.put("LIBARCHIVE.xattr.user." + java.net.URLEncoder.encode(n, StandardCharsets.UTF_8),
              Base64.getEncoder().encodeToString(bytes));
        }
      }
    }

    private static String utf8(byte[] bytes) {
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }
  }

  /** The engine's stream stays open: the source must not close it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public String toString() {
    return "DirectorySource[" + root + "]";
  }
}
