package dev.edgecache.store.ehcache;

import dev.edgecache.spi.support.LeaseLocks;
import java.util.LinkedHashSet;
import java.util.Set;
import org.ehcache.Cache;

/**
 * Sets of strings kept in one cache entry each, changed only by compare-and-swap loops
 * ({@code putIfAbsent}, {@code replace(key, old, new)}, {@code remove(key, old)}), so that two
 * nodes adding members at once lose neither (THREATS 39).
 */
final class CasSets {
  private static final int MAX_TRIES = 1000;
  private final Cache<String, Blob> cache;

  CasSets(Cache<String, Blob> cache) {
    this.cache = cache;
  }

  Set<String> get(String key) {
    Blob b = cache.get(key);
    return b == null ? Set.of() : decode(b);
  }

  void add(String key, String member) {
    for (long i = 0, until = System.nanoTime() + LeaseLocks.MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Blob current = cache.get(key);
      if (current == null) {
        if (cache.putIfAbsent(key, Records.encodeSet(Set.of(member))) == null) {
          return;
        }
        continue;
      }
      Set<String> members = decode(current);
      if (members.contains(member)) {
        return;
      }
      members.add(member);
      if (cache.replace(key, current, Records.encodeSet(members))) {
        return;
      }
    }
    throw new IllegalStateException("too much contention on " + key);
  }

  void remove(String key, String member) {
    for (long i = 0, until = System.nanoTime() + LeaseLocks.MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Blob current = cache.get(key);
      if (current == null) {
        return;
      }
      Set<String> members = decode(current);
      if (!members.remove(member)) {
        return;
      }
      boolean done = members.isEmpty() ? cache.remove(key, current)
          : cache.replace(key, current, Records.encodeSet(members));
      if (done) {
        return;
      }
    }
    throw new IllegalStateException("too much contention on " + key);
  }

  /** Removes the whole set and returns what it held. */
  Set<String> take(String key) {
    for (long i = 0, until = System.nanoTime() + LeaseLocks.MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Blob current = cache.get(key);
      if (current == null) {
        return Set.of();
      }
      if (cache.remove(key, current)) {
        return decode(current);
      }
    }
    throw new IllegalStateException("too much contention on " + key);
  }

  private static Set<String> decode(Blob b) {
    try {
      return new LinkedHashSet<>(Records.decodeSet(b));
    } catch (IllegalArgumentException e) {
      return new LinkedHashSet<>(); // a damaged set is an empty one
    }
  }
}
