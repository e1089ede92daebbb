package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;

/** CascacheContract on the clustered tier of a real Terracotta server. */
class ClusteredCascacheTest extends dev.edgecache.kv.CascacheContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheClusteredStorageTest.emptiedNode("cascache");
  }
}
