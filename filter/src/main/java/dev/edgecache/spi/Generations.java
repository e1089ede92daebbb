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
 */
public interface Generations {
  /** The key's current generation; 0 for a key never purged. */
  long current(CacheKey key);

  /** Increments the key's generation and returns the new value. */
  long bump(CacheKey key);

  /** The store's current epoch. */
  long epoch();

  /** Increments the epoch and returns the new value. */
  long bumpEpoch();
}
