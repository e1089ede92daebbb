package dev.edgecache.store.ehcache;

import dev.edgecache.spi.StorageException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ehcache.Cache;
import org.ehcache.config.CacheRuntimeConfiguration;

/**
 * A circuit breaker in front of the caches: once an operation fails (an unreachable or slow
 * clustered tier), every operation fails at once for a cool-off period instead of waiting out its
 * own timeout, so that requests keep a bounded latency while the cache is down (THREATS 34, 36).
 * After the period the next operation tries the tier again.
 */
final class Breaker {
  private final long coolOffMillis;
  private volatile long openUntil;

  Breaker(long coolOffMillis) {
    this.coolOffMillis = coolOffMillis;
  }

  /** Whether the breaker is open now: the tier counts as unavailable. */
  boolean open() {
    return openUntil != 0 && System.currentTimeMillis() < openUntil;
  }

  Cache<String, Blob> guard(String name, Cache<String, Blob> cache) {
    return new Guarded(name, cache);
  }

  private <T> T call(String name, Supplier<T> op) {
    if (open()) {
      throw new StorageException("the cache tier is unavailable; retrying after a cool-off");
    }
    try {
      return op.get();
    } catch (RuntimeException e) {
      openUntil = System.currentTimeMillis() + coolOffMillis;
      throw e instanceof StorageException se ? se
          : new StorageException("cache " + name + " failed: " + e.getMessage(), e);
    }
  }

  /** A cache whose every operation goes through the breaker. */
  private final class Guarded implements Cache<String, Blob> {
    private final String name;
    private final Cache<String, Blob> cache;

    Guarded(String name, Cache<String, Blob> cache) {
      this.name = name;
      this.cache = cache;
    }

    @Override
    public Blob get(String key) {
      return call(name, () -> cache.get(key));
    }

    @Override
    public void put(String key, Blob value) {
      call(name, () -> {
        cache.put(key, value);
        return null;
      });
    }

    @Override
    public boolean containsKey(String key) {
      return call(name, () -> cache.containsKey(key));
    }

    @Override
    public void remove(String key) {
      call(name, () -> {
        cache.remove(key);
        return null;
      });
    }

    @Override
    public Map<String, Blob> getAll(Set<? extends String> keys) {
      return call(name, () -> cache.getAll(keys));
    }

    @Override
    public void putAll(Map<? extends String, ? extends Blob> entries) {
      call(name, () -> {
        cache.putAll(entries);
        return null;
      });
    }

    @Override
    public void removeAll(Set<? extends String> keys) {
      call(name, () -> {
        cache.removeAll(keys);
        return null;
      });
    }

    @Override
    public void clear() {
      call(name, () -> {
        cache.clear();
        return null;
      });
    }

    @Override
    public Blob putIfAbsent(String key, Blob value) {
      return call(name, () -> cache.putIfAbsent(key, value));
    }

    @Override
    public boolean remove(String key, Blob value) {
      return call(name, () -> cache.remove(key, value));
    }

    @Override
    public Blob replace(String key, Blob value) {
      return call(name, () -> cache.replace(key, value));
    }

    @Override
    public boolean replace(String key, Blob oldValue, Blob newValue) {
      return call(name, () -> cache.replace(key, oldValue, newValue));
    }

    @Override
    public CacheRuntimeConfiguration<String, Blob> getRuntimeConfiguration() {
      return cache.getRuntimeConfiguration();
    }

    @Override
    public Iterator<Entry<String, Blob>> iterator() {
      return call(name, cache::iterator);
    }
  }
}
