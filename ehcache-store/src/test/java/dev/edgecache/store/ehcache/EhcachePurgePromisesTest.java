package dev.edgecache.store.ehcache;

import dev.edgecache.PurgePromisesContract;
import dev.edgecache.spi.CacheStorage;

/** The core API's purge promises on the Ehcache store (heap and off-heap tiers). */
class EhcachePurgePromisesTest extends PurgePromisesContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().offheapMb(16).maxObjectSize(1024 * 1024).build();
  }
}
