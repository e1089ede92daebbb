package dev.edgecache.spi;

import dev.edgecache.CacheKey;

/**
 * Generation counters (as cascache's): each primary key has a generation, and the store has an
 * epoch. A purge bumps the key's generation, a purge of everything bumps the epoch. A fill records
 * both when it starts and writes them into the object's metadata; a lookup treats an object whose
 * generation or epoch differs from the current one as gone. A purge during a slow fill is thus
 * never undone by that fill.
 *
 * <p>Implementations must be safe for concurrent use; bumps must never lose an increment.
 *
 * <p>A store whose counters can be lost (a bounded cache that evicts them) must fail safe: a lost
 * counter must read, in {@link #current}, as a value that no lookup or fill was ever stamped
 * with, so that everything stamped before the loss counts as purged; and {@link #stamp} must then
 * make a counter again, with a value the key's counter never had. A purge is thus never undone by
 * an eviction, which only costs misses.
 */
public interface Generations {
  /**
   * The key's current generation: 0 for a key never purged, in a store whose counters are never
   * lost. A store that lost the key's counter answers a value no stamp has (never one of
   * {@link #stamp}'s), and at least -1 less than any stamp: nothing matches it.
   */
  long current(CacheKey key);

  /**
   * The generation a lookup resolves against, and a fill that follows it is stamped with: the
   * current one, the counter made to exist first in a store that can lose counters. Never
   * negative. By default {@link #current}, for stores that never lose a counter.
   */
  default long stamp(CacheKey key) {
    return current(key);
  }

  /** Increments the key's generation and returns the new value. */
  long bump(CacheKey key);

  /**
   * Makes the key's counter exist, at its current value, so that a purge of the key moves it on
   * even while nothing is stored under it ({@link #tracked}): done before a write that holds no
   * lock, and by a snapshot of the generation that a later conditional write compares with. By
   * default {@link #stamp}, which makes the counter in a store that can lose counters.
   */
  default void track(CacheKey key) {
    stamp(key);
  }

  /**
   * Whether the key has a counter that a purge must move on: one that {@link #track} made, or a
   * purge. A purge of a key with nothing stored, no lock and no counter need not bump it, since
   * no write or snapshot can predate it. By default true: every purge bumps.
   */
  default boolean tracked(CacheKey key) {
    return true;
  }

  /** The store's current epoch. */
  long epoch();

  /** Increments the epoch and returns the new value. */
  long bumpEpoch();

  /**
   * The scope serial, which moves on before each purge of a scope ({@link ScopeState}). A fill
   * records it when it starts; while it reads the same at lookup, no scope was purged since, and
   * the object's scopes need not be read. A store that can lose it must make it again with a
   * value no fill recorded (every object's scopes are then read, which costs time only).
   */
  long scopeSerial();

  /** Moves the scope serial on and returns the new value. */
  long bumpScopeSerial();

  /** A scope's state: {@link ScopeState#NEW} if never purged, {@link ScopeState#LOST} if its counter is gone. */
  ScopeState scope(String scope);

  /**
   * A scope's state for a fill to stamp: as {@link #scope}, but in a store that can lose
   * counters the counter is made first (with a generation no earlier counter had), so that its
   * loss later reads as {@link ScopeState#LOST}. By default {@link #scope}.
   */
  default ScopeState stampScope(String scope) {
    return scope(scope);
  }

  /**
   * Records a purge of {@code scope} at {@code atMillis}, hard or soft ({@link ScopeState#purged}),
   * without losing a concurrent one; returns the new state.
   */
  ScopeState purgeScope(String scope, boolean soft, long atMillis);
}
