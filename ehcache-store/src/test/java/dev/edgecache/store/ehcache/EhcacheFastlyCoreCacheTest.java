package dev.edgecache.store.ehcache;

import dev.edgecache.FastlyCoreCacheContract;
import dev.edgecache.spi.CacheStorage;

/** Fastly's Core Cache interface on the Ehcache store (heap and off-heap tiers). */
class EhcacheFastlyCoreCacheTest extends FastlyCoreCacheContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().offheapMb(16).maxObjectSize(1024 * 1024).build();
  }
}
