package dev.pledge.security.breach.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.SecretSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link SecretSink#folder}: {@code DIR/NAME.secret}, created 0600 (0700 for the folder) on POSIX
 * file systems, written to a temporary file, forced to disk and moved into place. Thread-safe.
 */
public final class FileSecretSink implements SecretSink {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,150}");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private final Path dir;

  private FileSecretSink(Path dir) {
    this.dir = dir;
  }

  /** The sink in {@code dir}, created when missing. */
  public static FileSecretSink open(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        if (POSIX) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
    } catch (IOException e) {
      throw new PledgeException("cannot create the secret folder " + dir + ": " + e.getMessage(), e);
    }
    return new FileSecretSink(dir);
  }

  private Path file(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a secret's name is letters, digits, '.', '_' and '-', got '" + name + "'");
    }
    return dir.resolve(name + ".secret");
  }

  @Override
  public void put(String name, Secret secret) {
    Path target = file(name);
    byte[] bytes = secret.bytes();
    try {
      FileAttribute<?>[] attrs = POSIX
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
          : new FileAttribute<?>[0];
      Path tmp = Files.createTempFile(dir, "." + name, ".tmp", attrs);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer b = ByteBuffer.wrap(bytes);
          while (b.hasRemaining()) {
            ch.write(b);
          }
          ch.force(true);
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new PledgeException("cannot write the secret " + name + " into " + dir + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public Optional<Secret> get(String name) {
    Path f = file(name);
    try {
      byte[] b = Files.readAllBytes(f);
      try {
        return Optional.of(Secret.of(b));
      } finally {
        Arrays.fill(b, (byte) 0);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new PledgeException("cannot read the secret " + name + " from " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "FileSecretSink[" + dir + "]";
  }
}
