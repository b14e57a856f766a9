package dev.pledge.security.ratelimit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * An exact counter whose increment is a plain store to a cell owned by the calling thread: no atomic
 * read-modify-write and no shared cache line on the hot path, unlike {@link LongAdder}, whose
 * increment is a compare-and-set. Not an API.
 *
 * <p>Each thread gets its own cell on its first increment. The cells are bounded: cells of threads
 * that have ended are folded into a total and reused, and when more than {@code maxCells} live
 * threads count at once, the others share a {@link LongAdder}. {@link #sum()} is exact once the
 * counting threads have stopped (or been joined), and otherwise, as {@code LongAdder.sum()}, a
 * moment's view.
 */
public final class Tally {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One thread's count, padded so two threads' cells never share a cache line. */
  @SuppressWarnings("unused")
  static final class Cell {
    long p01, p02, p03, p04, p05, p06, p07;
    long value;
    long p11, p12, p13, p14, p15, p16, p17;
    final WeakReference<Thread> owner;

    Cell(Thread owner) {
      this.owner = owner == null ? null : new WeakReference<>(owner);
    }

    boolean ownerEnded() {
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }
  }

  /** Marks a thread that counts through the shared adder. */
  private static final Cell SHARED = new Cell(null);

  private final int maxCells;
  private final ThreadLocal<Cell> mine = ThreadLocal.withInitial(this::register);
  private final LongAdder overflow = new LongAdder();
  private volatile Cell[] cells = new Cell[0];
  private long retired;

  /** A tally with at most four cells per available processor (at least 16). */
  public Tally() {
    this(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()));
  }

  Tally(int maxCells) {
    this.maxCells = maxCells;
  }

  /** Adds one. */
  public void increment() {
    Cell c = mine.get();
    if (c != SHARED) {
      // only the owner writes its cell: a release store suffices, no lock prefix
      VALUE.setRelease(c, c.value + 1);
    } else {
      overflow.increment();
    }
  }

  /** The count so far. */
  public long sum() {
    long s = overflow.sum();
    synchronized (this) {
      s += retired;
      for (Cell c : cells) {
        s += (long) VALUE.getAcquire(c);
      }
    }
    return s;
  }

  private synchronized Cell register() {
    Cell[] cs = cells;
    if (cs.length >= maxCells) {
      cs = sweep(cs);
    }
    if (cs.length >= maxCells) {
      cells = cs;
      return SHARED;
    }
    Cell c = new Cell(Thread.currentThread());
    Cell[] grown = new Cell[cs.length + 1];
    System.arraycopy(cs, 0, grown, 0, cs.length);
    grown[cs.length] = c;
    cells = grown;
    return c;
  }

  /** Folds the cells of ended threads into the retired total (an ended thread writes no more). */
  private Cell[] sweep(Cell[] cs) {
    int live = 0;
    Cell[] kept = new Cell[cs.length];
    for (Cell c : cs) {
      if (c.ownerEnded()) {
        retired += (long) VALUE.getAcquire(c);
      } else {
        kept[live++] = c;
      }
    }
    Cell[] out = new Cell[live];
    System.arraycopy(kept, 0, out, 0, live);
    return out;
  }
}
