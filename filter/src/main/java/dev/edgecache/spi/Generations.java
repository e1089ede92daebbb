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

  /** The store's current epoch. */
  long epoch();

  /** Increments the epoch and returns the new value. */
  long bumpEpoch();
}
