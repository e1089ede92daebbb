package dev.edgecache.store.ehcache;

import dev.edgecache.spi.StorageException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.ehcache.Cache;
import org.ehcache.config.CacheRuntimeConfiguration;

/**
 * A circuit breaker in front of the caches: once an operation fails (an unreachable or slow
 * clustered tier), every operation fails at once for a cool-off period instead of waiting out its
 * own timeout, so that requests keep a bounded latency while the cache is down (THREATS 34, 36).
 * After the period the next operation tries the tier again. Each trip is reported to a listener
 * with the number of trips in a row, which is how {@link ManagerSlot} decides that the
 * CacheManager itself is lost.
 */
final class Breaker {
  /** Hears of each trip. */
  interface TripListener {
    void tripped(RuntimeException failure, int tripsInARow);
  }

  private final long coolOffMillis;
  private volatile TripListener listener = (failure, trips) -> { };
  private volatile long openUntil;
  private volatile int tripsInARow;

  Breaker(long coolOffMillis) {
    this.coolOffMillis = coolOffMillis;
  }

  void onTrip(TripListener value) {
    this.listener = value;
  }

  /** Closes the breaker at once: the tier behind it has been replaced. */
  void reset() {
    tripsInARow = 0;
    openUntil = 0;
  }

  /** Whether the breaker is open now: the tier counts as unavailable. */
  boolean open() {
    return openUntil != 0 && System.currentTimeMillis() < openUntil;
  }

  /**
   * {@code cache}, named {@code name}, every operation of which goes through the breaker. The
   * guard can be pointed at another cache later ({@link Guard#bind}), as when the CacheManager
   * behind it is replaced.
   */
  Guard guard(String name, Cache<String, Blob> cache) {
    return new Guard(name, cache);
  }

  private <T> T call(String name, Cache<String, Blob> cache, Function<Cache<String, Blob>, T> op) {
    if (open()) {
      throw new StorageException("the cache tier is unavailable; retrying after a cool-off");
    }
    try {
      T result = op.apply(cache);
      if (tripsInARow != 0) {
        tripsInARow = 0;
      }
      return result;
    } catch (RuntimeException e) {
      openUntil = System.currentTimeMillis() + coolOffMillis;
      int trips = ++tripsInARow; // racy by design: a count off by one changes nothing
      listener.tripped(e, trips);
      throw e instanceof StorageException se ? se
          : new StorageException("cache " + name + " failed: " + e.getMessage(), e);
    }
  }

  /** A cache whose every operation goes through the breaker. */
  final class Guard implements Cache<String, Blob> {
    private final String name;
    private volatile Cache<String, Blob> cache;

    Guard(String name, Cache<String, Blob> cache) {
      this.name = name;
      this.cache = cache;
    }

    /** From now on, operations go to {@code value}. */
    void bind(Cache<String, Blob> value) {
      this.cache = value;
    }

    @Override
    public Blob get(String key) {
      return call(name, cache, c -> c.get(key));
    }

    @Override
    public void put(String key, Blob value) {
      call(name, cache, c -> {
        c.put(key, value);
        return null;
      });
    }

    @Override
    public boolean containsKey(String key) {
      return call(name, cache, c -> c.containsKey(key));
    }

    @Override
    public void remove(String key) {
      call(name, cache, c -> {
        c.remove(key);
        return null;
      });
    }

    @Override
    public Map<String, Blob> getAll(Set<? extends String> keys) {
      return call(name, cache, c -> c.getAll(keys));
    }

    @Override
    public void putAll(Map<? extends String, ? extends Blob> entries) {
      call(name, cache, c -> {
        c.putAll(entries);
        return null;
      });
    }

    @Override
    public void removeAll(Set<? extends String> keys) {
      call(name, cache, c -> {
        c.removeAll(keys);
        return null;
      });
    }

    @Override
    public void clear() {
      call(name, cache, c -> {
        c.clear();
        return null;
      });
    }

    @Override
    public Blob putIfAbsent(String key, Blob value) {
      return call(name, cache, c -> c.putIfAbsent(key, value));
    }

    @Override
    public boolean remove(String key, Blob value) {
      return call(name, cache, c -> c.remove(key, value));
    }

    @Override
    public Blob replace(String key, Blob value) {
      return call(name, cache, c -> c.replace(key, value));
    }

    @Override
    public boolean replace(String key, Blob oldValue, Blob newValue) {
      return call(name, cache, c -> c.replace(key, oldValue, newValue));
    }

    @Override
    public CacheRuntimeConfiguration<String, Blob> getRuntimeConfiguration() {
      return cache.getRuntimeConfiguration();
    }

    @Override
    public Iterator<Entry<String, Blob>> iterator() {
      return call(name, cache, Cache::iterator);
    }
  }
}
