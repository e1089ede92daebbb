package dev.edgecache.store.ehcache;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.StorageException;
import org.ehcache.Cache;

/** Generation counters bumped by compare-and-swap loops, so no increment is lost across nodes. */
final class EhcacheGenerations implements Generations {
  private static final String EPOCH = "epoch";
  private static final int MAX_TRIES = 1000;
  private final Cache<String, Blob> counters;

  EhcacheGenerations(Cache<String, Blob> counters) {
    this.counters = counters;
  }

  @Override
  public long current(CacheKey key) {
    return read("g." + Records.primaryKey(key));
  }

  @Override
  public long bump(CacheKey key) {
    return increment("g." + Records.primaryKey(key));
  }

  @Override
  public long epoch() {
    return read(EPOCH);
  }

  @Override
  public long bumpEpoch() {
    return increment(EPOCH);
  }

  private long read(String k) {
    Blob b = counters.get(k);
    return b == null ? 0 : Records.counterValue(b);
  }

  private long increment(String k) {
    for (int i = 0; i < MAX_TRIES; i++) {
      Blob current = counters.get(k);
      if (current == null) {
        if (counters.putIfAbsent(k, Records.counter(1)) == null) {
          return 1;
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
}
