package dev.edgecache.servlet;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How often each key was asked for lately, estimated in bounded memory: a count-min sketch of
 * 4-bit counters, four per key, whose counts are all halved once a sample of ten times the keys
 * it is sized for has been counted, so that what it remembers is recent popularity (TinyLFU,
 * Einziger, Friedman and Manes, 2017). A count can be too high (keys sharing counters), never too
 * low before a halving. Lock-free for counting; thread-safe.
 */
final class FrequencySketch {
  /** The highest count a 4-bit counter holds. */
  static final int MAX_COUNT = 15;
  private static final long ODD_BITS_CLEARED = 0x7777_7777_7777_7777L;

  /** Each long holds 16 counters: four for each of the four rows. */
  private final AtomicLongArray table;
  private final int mask;
  private final int sampleSize;
  private final AtomicInteger counted = new AtomicInteger();
  /** Chosen per sketch, so that which keys share counters cannot be known from outside. */
  private final long seed = ThreadLocalRandom.current().nextLong() | 1;

  /** A sketch for about {@code keys} keys: 8 bytes per key, rounded up to a power of two. */
  FrequencySketch(int keys) {
    int size = Integer.highestOneBit(Math.max(64, Math.min(keys, 1 << 26)) - 1) << 1;
    table = new AtomicLongArray(size);
    mask = size - 1;
    sampleSize = (int) Math.min(Integer.MAX_VALUE / 2, 10L * size);
  }

  /** Counts one more request of the key whose hash is {@code hash}. */
  void increment(long hash) {
    long h = mix(hash);
    boolean added = false;
    for (int row = 0; row < 4; row++) {
      added |= incrementAt(index(h, row), nibble(h, row));
      h = Long.rotateRight(h, 16);
    }
    if (added && counted.incrementAndGet() >= sampleSize) {
      halve();
    }
  }

  /** The estimated count of the key whose hash is {@code hash}, at most {@link #MAX_COUNT}. */
  int frequency(long hash) {
    long h = mix(hash);
    int min = MAX_COUNT;
    for (int row = 0; row < 4; row++) {
      min = Math.min(min, (int) ((table.get(index(h, row)) >>> (nibble(h, row) << 2)) & 0xf));
      h = Long.rotateRight(h, 16);
    }
    return min;
  }

  private int index(long h, int row) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The counter of {@code row} in its long: rows 0 to 3 own nibbles 0-3, 4-7, 8-11, 12-15. */
  private static int nibble(long h, int row) {
    return (row << 2) + (int) ((h >>> 60) & 3);
  }

  private boolean incrementAt(int i, int nibble) {
    int shift = nibble << 2;
    while (true) {
      long v = table.get(i);
      if (((v >>> shift) & 0xf) == MAX_COUNT) {
        return false;
      }
      if (table.compareAndSet(i, v, v + (1L << shift))) {
        return true;
      }
    }
  }

  /** Halves every counter: old popularity fades, so that a key must be asked again to count. */
  private synchronized void halve() {
    if (counted.get() < sampleSize) {
      return; // another thread halved them
    }
    for (int i = 0; i < table.length(); i++) {
      long v;
      do {
        v = table.get(i);
      } while (!table.compareAndSet(i, v, (v >>> 1) & ODD_BITS_CLEARED));
    }
    counted.set(sampleSize / 2);
  }

  private long mix(long hash) {
    long h = (hash ^ seed) * 0x9E37_79B9_7F4A_7C15L;
    h ^= h >>> 31;
    h *= 0xBF58_476D_1CE4_E5B9L;
    return h ^ (h >>> 29);
  }
}
