package dev.edgecache.store.memory;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.ScopeState;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation counters in a map. Only purged and tracked keys have an entry (a write without the
 * key's lock, or a snapshot of its generation, tracks it); the cache bumps a key only when
 * something is stored under it, a write is under way or it is tracked, so the map grows with the
 * keys that held objects or that the application snapshots, not with every URL an unsafe
 * method was sent to.
 */
final class MemoryGenerations implements Generations {
  private final ConcurrentHashMap<CacheKey, Long> generations = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong scopeSerial = new AtomicLong();
  /** Only purged scopes have an entry: one per host or prefix an operator purged. */
  private final ConcurrentHashMap<String, ScopeState> scopes = new ConcurrentHashMap<>();

  @Override
  public long current(CacheKey key) {
    return generations.getOrDefault(key, 0L);
  }

  @Override
  public long bump(CacheKey key) {
    return generations.merge(key, 1L, Long::sum);
  }

  @Override
  public void track(CacheKey key) {
    generations.putIfAbsent(key, 0L);
  }

  @Override
  public boolean tracked(CacheKey key) {
    return generations.containsKey(key);
  }

  /** How many keys have a counter. */
  int size() {
    return generations.size();
  }

  @Override
  public long epoch() {
    return epoch.get();
  }

  @Override
  public long bumpEpoch() {
    return epoch.incrementAndGet();
  }

  @Override
  public long scopeSerial() {
    return scopeSerial.get();
  }

  @Override
  public long bumpScopeSerial() {
    return scopeSerial.incrementAndGet();
  }

  @Override
  public ScopeState scope(String scope) {
    return scopes.getOrDefault(scope, ScopeState.NEW);
  }

  @Override
  public ScopeState purgeScope(String scope, boolean soft, long atMillis) {
    return scopes.compute(scope, (k, s) -> (s == null ? ScopeState.NEW : s).purged(soft, atMillis));
  }
}
