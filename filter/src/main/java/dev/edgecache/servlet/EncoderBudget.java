package dev.edgecache.servlet;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many fills the cache may encode in its own coding at once ({@code max-encoders}). Each
 * holds an encoder for as long as its body streams: about 170 KiB for gzip, 0.9 MiB for zstd and
 * 2.2 MiB for br, most of it outside the heap. Fills are otherwise bounded only by the
 * container's connections (an asynchronous proxy holds thousands), so without a budget a crowd
 * of cold pages asked for in br could hold gigabytes. A fill that finds the budget spent passes
 * uncached, and a later request of its variant stores it: a miss costs milliseconds.
 */
final class EncoderBudget {
  /** The default: 128 br encoders are under 300 MiB. */
  static final int DEFAULT = 128;

  private final int max;
  private final AtomicInteger inUse = new AtomicInteger();

  EncoderBudget(int max) {
    this.max = max;
  }

  /** Takes one encoder's place if one is left; the taker gives it back once ({@link #giveBack}). */
  boolean tryTake() {
    while (true) {
      int n = inUse.get();
      if (n >= max) {
        return false;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a place taken by {@link #tryTake}. */
  void giveBack() {
    inUse.decrementAndGet();
  }
}
