package dev.pledge.backup.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Streams that count and SHA-256 what passes through them, and a tee to several outputs. */
public final class Hashing {
  private Hashing() {}

  // the digest is fed at most this much per call: the JDK swaps in its SHA-NI code only once the
  // method is hot, and one call per MiB would keep a short-lived process in the interpreter
  private static final int PIECE = 16 * 1024;

  static void update(MessageDigest digest, byte[] b, int off, int len) {
    while (len > PIECE) {
      digest.update(b, off, PIECE);
      off += PIECE;
      len -= PIECE;
    }
    digest.update(b, off, len);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** An output stream that counts and hashes; {@code close()} closes the delegate. */
  public static final class Out extends FilterOutputStream {
    private final MessageDigest digest = sha256();
    private long count;

    /** Wraps {@code out}. */
    public Out(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      update(digest, b, off, len);
      count += len;
    }

    /** Bytes written so far. */
    public long count() {
      return count;
    }

    /** The hex SHA-256 of everything written; call once, at the end. */
    public String sha256Hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** An input stream that counts and hashes what is read (or only counts). */
  public static final class In extends FilterInputStream {
    private final MessageDigest digest; // null: counting only
    private long count;

    /** Wraps {@code in}, counting and hashing. */
    public In(InputStream in) {
      this(in, true);
    }

    /** Wraps {@code in}, counting, and hashing when {@code hash}. */
    public In(InputStream in, boolean hash) {
      super(in);
      this.digest = hash ? sha256() : null;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        if (digest != null) {
          digest.update((byte) b);
        }
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        if (digest != null) {
          update(digest, b, off, n);
        }
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads and hashes whatever is left. */
    public void drain() throws IOException {
      byte[] buf = new byte[1 << 16];
      while (read(buf, 0, buf.length) >= 0) {
        // hashing happens in read
      }
    }

    /** Bytes read so far. */
    public long count() {
      return count;
    }

    /** The hex SHA-256 of everything read; call once, at the end, on a hashing stream. */
    public String sha256Hex() {
      if (digest == null) {
        throw new IllegalStateException("this stream only counts");
      }
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** Writes to every output in turn; {@code close()} only flushes (the owners commit or abort them). */
  public static final class Tee extends OutputStream {
    private final List<OutputStream> outs;

    /** A tee to {@code outs}. */
    public Tee(List<OutputStream> outs) {
      this.outs = List.copyOf(outs);
    }

    @Override
    public void write(int b) throws IOException {
      for (OutputStream o : outs) {
        o.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (OutputStream o : outs) {
        o.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      for (OutputStream o : outs) {
        o.flush();
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
