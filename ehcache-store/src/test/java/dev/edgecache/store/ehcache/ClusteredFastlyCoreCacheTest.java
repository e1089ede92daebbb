package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;

/** FastlyCoreCacheContract on the clustered tier of a real Terracotta server. */
class ClusteredFastlyCoreCacheTest extends dev.edgecache.FastlyCoreCacheContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheClusteredStorageTest.emptiedNode("fastly");
  }
}
