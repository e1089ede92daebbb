package dev.edgecache.store.memory;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.SurrogateKeyIndex;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tag to primary keys, kept by {@link MemoryStorage} as objects commit and leave. */
final class MemorySurrogateKeyIndex implements SurrogateKeyIndex {
  private final ConcurrentHashMap<String, Set<CacheKey>> index = new ConcurrentHashMap<>();

  void add(String tag, CacheKey key) {
    index.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(key);
  }

  void remove(String tag, CacheKey key) {
    index.computeIfPresent(tag, (t, keys) -> {
      keys.remove(key);
      return keys.isEmpty() ? null : keys;
    });
  }

  void clear() {
    index.clear();
  }

  @Override
  public Set<CacheKey> keys(String surrogateKey) {
    Set<CacheKey> keys = index.get(surrogateKey);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }

  @Override
  public Set<CacheKey> take(String surrogateKey) {
    Set<CacheKey> keys = index.remove(surrogateKey);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }
}
