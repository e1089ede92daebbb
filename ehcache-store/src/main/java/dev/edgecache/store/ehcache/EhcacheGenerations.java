package dev.edgecache.store.ehcache;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.support.LeaseLocks;
import org.ehcache.Cache;

/**
 * Generation counters bumped by compare-and-swap loops, so no increment is lost across nodes.
 *
 * <p>They live in an ordinary Ehcache cache, which may evict them; that must never undo a purge.
 * So a counter is made, before anything is stamped with it, with a random starting value (never
 * one an earlier counter of the key had, but with odds of 2^-62), and an absent counter reads as
 * {@link #LOST}, which matches no stamp: whatever was stamped before an eviction counts as purged,
 * and the eviction costs misses only. The epoch is made the same way.
 */
final class EhcacheGenerations implements Generations {
  private static final String EPOCH = "epoch";
  private static final int MAX_TRIES = 1000;
  /** What an absent counter reads as: below every stamp (stamps are positive) and -1 (a failure). */
  static final long LOST = -2;
  private final Cache<String, Blob> counters;

  EhcacheGenerations(Cache<String, Blob> counters) {
    this.counters = counters;
  }

  @Override
  public long current(CacheKey key) {
    Blob b = counters.get("g." + Records.primaryKey(key));
    return b == null ? LOST : Records.counterValue(b);
  }

  @Override
  public long stamp(CacheKey key) {
    return readOrMake("g." + Records.primaryKey(key));
  }

  @Override
  public long bump(CacheKey key) {
    return increment("g." + Records.primaryKey(key));
  }

  /**
   * A surrogate key's stamp, the counter made first if absent: what a write of an object with
   * that key records. A purge by the key bumps it ({@link #bumpTag}), so that what was written
   * before counts as purged even where the key's index set was evicted and the purge found nothing.
   */
  long stampTag(String surrogateKey) {
    return readOrMake("t." + surrogateKey);
  }

  /** A surrogate key's current stamp, or {@link #LOST} if its counter is gone (nothing matches it). */
  long currentTag(String surrogateKey) {
    Blob b = counters.get("t." + surrogateKey);
    return b == null ? LOST : Records.counterValue(b);
  }

  /** Bumps a surrogate key's counter: every object stamped before counts as purged. */
  long bumpTag(String surrogateKey) {
    return increment("t." + surrogateKey);
  }

  @Override
  public long epoch() {
    return readOrMake(EPOCH);
  }

  @Override
  public long bumpEpoch() {
    return increment(EPOCH);
  }

  /** The counter's value, made with a random start if absent (the winner's, if several make it). */
  private long readOrMake(String k) {
    Blob b = counters.get(k);
    if (b != null) {
      return Records.counterValue(b);
    }
    long start = randomStart();
    Blob won = counters.putIfAbsent(k, Records.counter(start));
    return won == null ? start : Records.counterValue(won);
  }

  private long increment(String k) {
    for (long i = 0, until = System.nanoTime() + LeaseLocks.MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Blob current = counters.get(k);
      if (current == null) {
        // lost or never made: a fresh start, so that no earlier stamp matches
        long start = randomStart();
        if (counters.putIfAbsent(k, Records.counter(start)) == null) {
          return start;
        }
        continue;
      }
      long next = Records.counterValue(current) + 1;
      if (counters.replace(k, current, Records.counter(next))) {
        return next;
      }
    }
    throw new StorageException("the generation " + k + " is too contended");
  }

  /** A start far from 0 and from every other counter's: positive, below 2^62, so bumps never overflow. */
  private static long randomStart() {
    return java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62);
  }
}
