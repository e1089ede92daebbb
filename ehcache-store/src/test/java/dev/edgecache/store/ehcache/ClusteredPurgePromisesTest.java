package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;

/** PurgePromisesContract on the clustered tier of a real Terracotta server. */
class ClusteredPurgePromisesTest extends dev.edgecache.PurgePromisesContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheClusteredStorageTest.emptiedNode("purge-promises");
  }
}
