package dev.pledge.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An output stream that hands what is written, in 1 MiB chunks, to a thread of its own which writes
 * it to {@code downstream}: the source (reading files, running a dump tool) and the plaintext hash run
 * on the caller's thread while compression, encryption and the store's writes run on the other, so the
 * two halves of a backup overlap instead of taking turns. Memory is bounded: {@value #CHUNKS} chunks.
 * A failure on either side stops both. Not thread-safe: one writer.
 */
final class Handoff extends OutputStream {
  static final int CHUNK = 1 << 20;
  static final int CHUNKS = 4;
  private static final Chunk END = new Chunk(new byte[0]);

  private static final class Chunk {
    final byte[] bytes;
    int length;

    Chunk(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private final OutputStream downstream;
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread consumer;
  private volatile Throwable failure;
  private volatile boolean abandoned;
  private Chunk current;
  private boolean ended;

  private Handoff(OutputStream downstream, String threadName) {
    this.downstream = downstream;
    for (int i = 0; i < CHUNKS - 1; i++) {
      free.add(new Chunk(new byte[CHUNK]));
    }
    current = new Chunk(new byte[CHUNK]);
    consumer = new Thread(this::consume, threadName);
    consumer.setDaemon(true);
  }

  /** Starts the writing thread, named {@code threadName}, in front of {@code downstream}. */
  static Handoff start(OutputStream downstream, String threadName) {
    Handoff h = new Handoff(downstream, threadName);
    h.consumer.start();
    return h;
  }

  private void consume() {
    while (true) {
      Chunk c;
      try {
        c = full.take();
      } catch (InterruptedException e) {
        if (failure == null) {
          failure = new InterruptedIOException("backup writer interrupted");
        }
        return;
      }
      if (c == END) {
        return;
      }
      if (failure == null && !abandoned) {
        try {
          downstream.write(c.bytes, 0, c.length);
        } catch (Throwable t) {
          failure = t; // keep draining so the writer never blocks; it sees the failure next
        }
      }
      c.length = 0;
      free.add(c);
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (current.length == CHUNK) {
      handOver();
    }
    current.bytes[current.length++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (current.length == CHUNK) {
        handOver();
      }
      int n = Math.min(len, CHUNK - current.length);
      System.arraycopy(b, off, current.bytes, current.length, n);
      current.length += n;
      off += n;
      len -= n;
    }
  }

  /** Chunks are handed over when full; flushing mid-stream would only cost compression. */
  @Override
  public void flush() throws IOException {
    rethrow();
  }

  private void handOver() throws IOException {
    rethrow();
    try {
      full.put(current);
      current = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted handing a chunk to the backup writer");
    }
  }

  /**
   * Hands over the last chunk, waits until every byte is written downstream, and throws what the
   * writing thread met, if anything. Does not close {@code downstream}.
   */
  void finish() throws IOException {
    if (current.length > 0) {
      handOver();
    }
    end();
    rethrow();
  }

  private void end() throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    try {
      full.put(END);
      consumer.join();
    } catch (InterruptedException e) {
      consumer.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the backup writer");
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw new IOException(io.getMessage(), io);
    }
    if (t instanceof UncheckedIOException u) {
      throw new IOException(u.getMessage(), u);
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t.getMessage(), t);
  }

  /**
   * Stops the writing thread; without {@link #finish()} first (the source failed), chunks not yet
   * written are dropped rather than compressed for nothing. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (!ended) {
      abandoned = true;
    }
    end();
  }
}
