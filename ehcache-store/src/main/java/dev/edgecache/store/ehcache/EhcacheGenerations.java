package dev.edgecache.store.ehcache;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.ScopeState;
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
 * and the eviction costs misses only. The epoch is made the same way. So is each purge scope's
 * record, whose loss reads as {@link ScopeState#LOST}, and the scope serial, whose loss only
 * makes lookups read their objects' scopes.
 */
final class EhcacheGenerations implements Generations {
  private static final String EPOCH = "epoch";
  private static final String SCOPE_SERIAL = "scope-serial";
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
  public boolean tracked(CacheKey key) {
    return counters.get("g." + Records.primaryKey(key)) != null;
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

  @Override
  public long scopeSerial() {
    return readOrMake(SCOPE_SERIAL);
  }

  @Override
  public long bumpScopeSerial() {
    return increment(SCOPE_SERIAL);
  }

  @Override
  public ScopeState scope(String scope) {
    Blob b = counters.get("s." + scope);
    return b == null ? ScopeState.LOST : Records.decodeScope(b);
  }

  @Override
  public ScopeState stampScope(String scope) {
    return readOrMake("s." + scope, SCOPES, EhcacheGenerations::freshScope);
  }

  @Override
  public ScopeState purgeScope(String scope, boolean soft, long atMillis) {
    // a lost or unmade record starts afresh: whatever was stamped with it reads as purged already
    return update("s." + scope, SCOPES, () -> freshScope().purged(soft, atMillis), s -> s.purged(soft, atMillis));
  }

  /** A scope record with a random start: no stamp of a lost record of the scope matches it. */
  private static ScopeState freshScope() {
    long start = randomStart();
    return new ScopeState(start, start, -1, -1);
  }

  /** How a kind of record is read and written. */
  private record Format<T>(java.util.function.Function<Blob, T> decode, java.util.function.Function<T, Blob> encode) {}

  private static final Format<Long> COUNTERS = new Format<>(Records::counterValue, Records::counter);
  private static final Format<ScopeState> SCOPES = new Format<>(Records::decodeScope, Records::encodeScope);

  private long readOrMake(String k) {
    return readOrMake(k, COUNTERS, EhcacheGenerations::randomStart);
  }

  /** The record's value, made fresh if absent (the winner's, if several make it). */
  private <T> T readOrMake(String k, Format<T> format, java.util.function.Supplier<T> fresh) {
    Blob b = counters.get(k);
    if (b != null) {
      return format.decode().apply(b);
    }
    T made = fresh.get();
    Blob won = counters.putIfAbsent(k, format.encode().apply(made));
    return won == null ? made : format.decode().apply(won);
  }

  private long increment(String k) {
    // lost or never made: a fresh start, so that no earlier stamp matches
    return update(k, COUNTERS, EhcacheGenerations::randomStart, v -> v + 1);
  }

  /**
   * Replaces the record by {@code step} of it by compare-and-swap until no other writer came
   * between, or puts {@code fresh} where there is none; the value written.
   */
  private <T> T update(String k, Format<T> format, java.util.function.Supplier<T> fresh,
      java.util.function.UnaryOperator<T> step) {
    for (long i = 0, until = System.nanoTime() + LeaseLocks.MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Blob current = counters.get(k);
      if (current == null) {
        T made = fresh.get();
        if (counters.putIfAbsent(k, format.encode().apply(made)) == null) {
          return made;
        }
        continue;
      }
      T next = step.apply(format.decode().apply(current));
      if (counters.replace(k, current, format.encode().apply(next))) {
        return next;
      }
    }
    throw new StorageException("the record " + k + " is too contended");
  }

  /** A start far from 0 and from every other counter's: positive, below 2^62, so bumps never overflow. */
  private static long randomStart() {
    return java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62);
  }
}
