package dev.pledge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An input stream whose upstream is read by a thread of its own, in 256 KiB chunks (at most {@value
 * #CHUNKS} ahead): on restore and verification, reading the stored object, its checksum, opening the
 * segments and zstd's decompression run there, while the caller's thread hashes the plaintext and
 * writes the restored files, so the two halves overlap (the mirror of {@link Handoff}). A failure
 * upstream is thrown to the reader as it was, after the bytes read before it. Not thread-safe: one
 * reader.
 */
final class ReadAhead extends InputStream {
  static final int CHUNK = 256 << 10;
  static final int CHUNKS = 8;

  private static final class Chunk {
    final byte[] bytes = new byte[CHUNK];
    int length;
    Throwable failure; // set on the last chunk when upstream failed
    boolean end;
  }

  private final InputStream upstream;
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final Thread reader;
  private volatile boolean closed;
  private Chunk current;
  private int position;
  private boolean finished;

  private ReadAhead(InputStream upstream, String threadName) {
    this.upstream = upstream;
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new Chunk());
    }
    reader = new Thread(this::produce, threadName);
    reader.setDaemon(true);
  }

  /** Starts reading {@code upstream} on a thread named {@code threadName}. */
  static ReadAhead start(InputStream upstream, String threadName) {
    ReadAhead r = new ReadAhead(upstream, threadName);
    r.reader.start();
    return r;
  }

  private void produce() {
    try {
      while (!closed) {
        Chunk c = free.take();
        c.length = 0;
        c.failure = null;
        c.end = false;
        try {
          while (c.length < CHUNK) {
            int n = upstream.read(c.bytes, c.length, CHUNK - c.length);
            if (n < 0) {
              c.end = true;
              break;
            }
            c.length += n;
          }
        } catch (Throwable t) {
          c.failure = t;
          c.end = true;
        }
        full.put(c);
        if (c.end) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the reader
    }
  }

  private boolean fill() throws IOException {
    while (current == null || position == current.length) {
      if (current != null) {
        Chunk done = current;
        current = null;
        if (done.failure != null) {
          rethrow(done.failure);
        }
        if (done.end) {
          finished = true;
          return false;
        }
        free.add(done);
      }
      if (finished) {
        return false;
      }
      try {
        current = full.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for the backup reader");
      }
      position = 0;
    }
    return true;
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof UncheckedIOException u) {
      throw u;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t);
  }

  @Override
  public int read() throws IOException {
    return fill() ? current.bytes[position++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current.bytes, position, b, off, n);
    position += n;
    return n;
  }

  /** Stops the reading thread and waits for it, so the upstream may be closed after. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    reader.interrupt();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted stopping the backup reader");
    }
  }
}
