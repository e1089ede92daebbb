package dev.edgecache.store.memory;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation counters in a map. Only purged keys have an entry; the map grows with the number of
 * distinct keys ever purged, which is small next to the objects themselves.
 */
final class MemoryGenerations implements Generations {
  private final ConcurrentHashMap<CacheKey, Long> generations = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  @Override
  public long current(CacheKey key) {
    return generations.getOrDefault(key, 0L);
  }

  @Override
  public long bump(CacheKey key) {
    return generations.merge(key, 1L, Long::sum);
  }

  @Override
  public long epoch() {
    return epoch.get();
  }

  @Override
  public long bumpEpoch() {
    return epoch.incrementAndGet();
  }
}
