package dev.edgecache.internal;

import dev.edgecache.BodySink;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import java.util.concurrent.Executor;

/**
 * What the key-value face needs of the cache: its public operations, and the few that only the
 * core can do (a generation snapshot, a write stamped with one). The face holds this, not the
 * façade that made it.
 */
interface KeyValueBackend {
  /** The cache's public operations. */
  EdgeCache cache();

  /** Refuses a key the cache cannot take (empty, or too long). */
  void checkKey(CacheKey key);

  /** The key's generation, tracked so that any purge from now on moves it; -1 if unreadable. */
  long generation(CacheKey key);

  /** A write without the key's lock, stamped with a generation the caller observed. */
  BodySink insertAtGeneration(CacheKey key, WriteOptions options, long generation);

  /** Where loaders and vacancies run. */
  Executor executor();

  /** The cache's listener. */
  CacheListener listener();
}
