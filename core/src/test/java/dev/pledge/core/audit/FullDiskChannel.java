package dev.pledge.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that behaves like a disk with {@code free} bytes left: a write beyond them writes what
 * fits, then fails with "No space left on device", as write(2) does with ENOSPC. Counts forces; while
 * {@code failForces} is set, a force fails with "Input/output error", as fsync(2) does with EIO.
 */
final class FullDiskChannel extends FileChannel {
  private final FileChannel d;
  final AtomicLong free;
  final AtomicInteger forces = new AtomicInteger();
  final java.util.concurrent.atomic.AtomicBoolean failForces = new java.util.concurrent.atomic.AtomicBoolean();
  /** Run at the start of every force (a test's way into the middle of one); null for nothing. */
  volatile Runnable duringForce;

  FullDiskChannel(FileChannel delegate, long free) {
    this.d = delegate;
    this.free = new AtomicLong(free);
  }

  private ByteBuffer allowed(ByteBuffer src) throws IOException {
    long left = free.get();
    if (left <= 0) {
      throw new IOException("No space left on device");
    }
    if (src.remaining() <= left) {
      return src;
    }
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + (int) left);
    return part;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    ByteBuffer part = allowed(src);
    int n = d.write(part, position);
    if (part != src) {
      src.position(src.position() + n);
    }
    free.addAndGet(-n);
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer part = allowed(src);
    int n = d.write(part);
    if (part != src) {
      src.position(src.position() + n);
    }
    free.addAndGet(-n);
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return d.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return d.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return d.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return d.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    d.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return d.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    long before = d.size();
    d.truncate(size);
    free.addAndGet(Math.max(0, before - size));
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    Runnable during = duringForce;
    if (during != null) {
      during.run();
    }
    if (failForces.get()) {
      throw new IOException("Input/output error");
    }
    forces.incrementAndGet();
    d.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return d.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return d.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return d.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    d.close();
  }
}
