package dev.pledge.security.ratelimit.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A key table bounded in entries that a flood of new keys cannot use to release a penalised key: an
 * entry leaves only when removed, or in a sweep when the owner says it is <em>free</em> (it carries no
 * penalty: a full rate-limit state, failures forgotten or within the free ones). When the table is
 * full and a sweep frees nothing, a new key gets no entry and the caller throttles it; no penalised
 * entry is ever evicted to make room. Not an API.
 *
 * <p>Memory: at most {@code capacity} entries, each one {@link ConcurrentHashMap} node (32 bytes with
 * compressed references), its share of the bucket array (4 to 8 bytes) and the value; the keys are the
 * caller's. Sweeps walk the whole table, so they are spaced: after a sweep that frees fewer than
 * {@code capacity / 64} entries, the next one waits {@code sweepIntervalNanos} of the ticker, and new
 * keys are refused meanwhile. One thread sweeps at a time; others do not wait for it.
 *
 * <p>Thread-safe. Lookups are {@link ConcurrentHashMap#get} (no lock, no allocation); the entry count
 * is exact (a new key reserves its place before it is inserted).
 *
 * @param <K> key type, with value-based {@code equals}/{@code hashCode}
 * @param <V> value type; sweeps remove an entry only if it still holds the value they judged free
 */
public final class KeyTable<K, V> {
  /** Whether a value carries no penalty at ticker reading {@code now}, so forgetting it changes no decision that matters. */
  @FunctionalInterface
  public interface FreePredicate<V> {
    /** True when the value may be dropped to make room. */
    boolean isFree(V value, long now);
  }

  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
  private final long capacity;
  private final FreePredicate<V> free;
  private final long sweepIntervalNanos;
  private final AtomicLong size = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long nextSweep;
  private volatile boolean sweepWait;

  /**
   * A table of at most {@code capacity} entries.
   *
   * @param sweepIntervalNanos the least time between two sweeps that free little
   */
  public KeyTable(long capacity, FreePredicate<V> free, long sweepIntervalNanos) {
    if (capacity < 1) {
      throw new IllegalArgumentException("maximumKeys must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.free = Objects.requireNonNull(free, "free");
    this.sweepIntervalNanos = sweepIntervalNanos;
  }

  /** The value held for {@code key}, or null. No lock, no allocation. */
  public V get(K key) {
    return map.get(key);
  }

  /**
   * The value held for {@code key}, or one made by {@code create} and inserted if there is room.
   *
   * @return the value, or null when the table is full of penalised entries (the caller throttles the key)
   */
  public V getOrCreate(K key, long now, java.util.function.LongFunction<V> create) {
    V v = map.get(key);
    if (v != null) {
      return v;
    }
    if (!reserve(now)) {
      return null;
    }
    V made = create.apply(now);
    V prev = map.putIfAbsent(key, made);
    if (prev != null) {
      size.decrementAndGet();
      return prev;
    }
    return made;
  }

  /**
   * Replaces the value of {@code key} by {@code update(key, old)} (old is null for a key not held),
   * atomically per key; a null result removes the entry.
   *
   * @return the new value; null when removed, or when the key is new and the table has no room (then
   *     {@link #refused()} counts it and nothing is stored)
   */
  public V update(K key, long now, BiFunction<? super K, ? super V, ? extends V> update) {
    while (true) {
      V v = map.get(key);
      if (v != null) {
        boolean[] removed = new boolean[1];
        V next = map.computeIfPresent(key, (k, old) -> {
          V n = update.apply(k, old);
          removed[0] = n == null;
          return n;
        });
        if (removed[0]) {
          size.decrementAndGet();
          return null;
        }
        if (next != null) {
          return next;
        }
        continue; // removed meanwhile: treat as new
      }
      V made = update.apply(key, null);
      if (made == null) {
        return null;
      }
      if (!reserve(now)) {
        return null;
      }
      if (map.putIfAbsent(key, made) == null) {
        return made;
      }
      size.decrementAndGet(); // another thread inserted it first: update theirs
    }
  }

  /** Removes {@code key}; returns the value it held, or null. */
  public V remove(K key) {
    V old = map.remove(key);
    if (old != null) {
      size.decrementAndGet();
    }
    return old;
  }

  /** Entries held now. */
  public long size() {
    return size.get();
  }

  /** New keys refused so far because the table was full of penalised entries. */
  public long refused() {
    return refused.get();
  }

  /** The most entries held at once. */
  public long capacity() {
    return capacity;
  }

  /** Drops every free entry now, regardless of the sweep interval (for a metrics snapshot or a test). */
  public void sweepNow(long now) {
    if (sweeping.compareAndSet(false, true)) {
      try {
        sweep(now);
      } finally {
        sweeping.set(false);
      }
    }
  }

  /**
   * Whether a new key would find room now: the table is below capacity, or a sweep (run now if it is
   * due) frees an entry. Counts nothing as refused.
   */
  public boolean hasRoom(long now) {
    return size.get() < capacity || trySweep(now);
  }

  /** Time until the next sweep may run, in nanoseconds (0 when it may run now). */
  public long nanosUntilSweep(long now) {
    if (!sweepWait) {
      return 0;
    }
    long left = nextSweep - now;
    return left > 0 ? left : 0;
  }

  private boolean reserve(long now) {
    while (true) {
      long n = size.get();
      if (n < capacity) {
        if (size.compareAndSet(n, n + 1)) {
          return true;
        }
        continue;
      }
      if (!trySweep(now)) {
        refused.incrementAndGet();
        return false;
      }
    }
  }

  /** Sweeps when allowed; true when it freed at least one entry. */
  private boolean trySweep(long now) {
    if (sweepWait && nextSweep - now > 0) {
      return false;
    }
    if (!sweeping.compareAndSet(false, true)) {
      return false;
    }
    try {
      long freed = sweep(now);
      sweepWait = freed < Math.max(1, capacity / 64);
      nextSweep = now + sweepIntervalNanos;
      return freed > 0;
    } finally {
      sweeping.set(false);
    }
  }

  private long sweep(long now) {
    long freed = 0;
    for (Map.Entry<K, V> e : map.entrySet()) {
      V v = e.getValue();
      if (free.isFree(v, now) && map.remove(e.getKey(), v)) {
        size.decrementAndGet();
        freed++;
      }
    }
    return freed;
  }
}
