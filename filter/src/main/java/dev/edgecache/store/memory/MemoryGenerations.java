package dev.edgecache.store.memory;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.ScopeState;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation counters in a map, each kept for its retention after its last use. Only purged and
 * tracked keys have an entry (a write without the key's lock, or a snapshot of its generation,
 * tracks it); the cache bumps a key only when something is stored under it, a write is under way
 * or it is tracked, so the map holds the keys that held objects or that the application
 * snapshots lately, not every URL an unsafe method was sent to.
 */
final class MemoryGenerations implements Generations {
  /** A key's counter, and when it was last bumped or tracked (clock millis). */
  private record Counter(long value, long touchedAt) {}

  private final ConcurrentHashMap<CacheKey, Counter> generations = new ConcurrentHashMap<>();
  private final java.time.Clock clock;
  private final long retentionMillis;
  private final AtomicLong lastSweep = new AtomicLong();
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong scopeSerial = new AtomicLong();
  /** Only purged scopes have an entry: one per host or prefix an operator purged. */
  private final ConcurrentHashMap<String, ScopeState> scopes = new ConcurrentHashMap<>();

  /**
   * @param clock the store's clock
   * @param retention how long a counter is kept after it was last bumped or tracked (cascache's
   *     {@code GenRetention}): a snapshot or a write without the lock older than that may no
   *     longer lose to a purge, so it bounds how long such a caller may take
   */
  MemoryGenerations(java.time.Clock clock, java.time.Duration retention) {
    this.clock = clock;
    this.retentionMillis = retention.toMillis();
    this.lastSweep.set(clock.millis());
  }

  @Override
  public long current(CacheKey key) {
    Counter c = generations.get(key);
    return c == null ? 0 : c.value();
  }

  @Override
  public long bump(CacheKey key) {
    long now = clock.millis();
    sweepIfDue(now);
    return generations.merge(key, new Counter(1, now), (old, one) -> new Counter(old.value() + 1, now)).value();
  }

  @Override
  public void track(CacheKey key) {
    long now = clock.millis();
    sweepIfDue(now);
    generations.compute(key, (k, old) -> old == null ? new Counter(0, now) : new Counter(old.value(), now));
  }

  @Override
  public boolean tracked(CacheKey key) {
    return generations.containsKey(key);
  }

  /**
   * Drops the counters untouched for the retention, at most once per tenth of it. A dropped
   * counter reads 0 again: an object stamped with a later value is then a miss, never a hit of
   * something purged, since the purge that made that value removed what was stamped before it.
   */
  private void sweepIfDue(long now) {
    long last = lastSweep.get();
    if (now - last < Math.max(1, retentionMillis / 10) || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    generations.entrySet().removeIf(e -> now - e.getValue().touchedAt() > retentionMillis);
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
