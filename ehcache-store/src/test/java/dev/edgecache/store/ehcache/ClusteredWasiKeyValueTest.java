package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;

/** WasiKeyValueContract on the clustered tier of a real Terracotta server. */
class ClusteredWasiKeyValueTest extends dev.edgecache.kv.WasiKeyValueContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheClusteredStorageTest.emptiedNode("wasi");
  }
}
