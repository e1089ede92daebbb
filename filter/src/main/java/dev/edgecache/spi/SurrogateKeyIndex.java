package dev.edgecache.spi;

import dev.edgecache.CacheKey;
import java.util.Set;

/**
 * Which primary keys carry a surrogate key (tag). The store adds a key to the index of each of
 * its object's {@link ObjectMeta#surrogateKeys()} when the write of the object starts, so that a
 * purge by tag also reaches fills in progress; a purge by tag takes the set and purges each key.
 * A store may keep a key in the index after its objects left: purging it again is harmless,
 * whereas dropping a key that another variant or write still tags would let content escape a
 * purge.
 */
public interface SurrogateKeyIndex {
  /** The primary keys tagged with {@code surrogateKey}; a snapshot. */
  Set<CacheKey> keys(String surrogateKey);

  /** Removes the tag from the index and returns the keys it had. */
  Set<CacheKey> take(String surrogateKey);
}
