package dev.edgecache.spi;

import dev.edgecache.CacheKey;
import java.util.Set;

/**
 * Which primary keys carry a surrogate key (tag). The store adds a key to the index of each of
 * its object's {@link ObjectMeta#surrogateKeys()} when the object commits; a purge by tag takes the
 * set and purges each key.
 */
public interface SurrogateKeyIndex {
  /** The primary keys tagged with {@code surrogateKey}; a snapshot. */
  Set<CacheKey> keys(String surrogateKey);

  /** Removes the tag from the index and returns the keys it had. */
  Set<CacheKey> take(String surrogateKey);
}
