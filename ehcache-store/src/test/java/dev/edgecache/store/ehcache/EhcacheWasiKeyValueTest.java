package dev.edgecache.store.ehcache;

import dev.edgecache.kv.WasiKeyValueContract;
import dev.edgecache.spi.CacheStorage;

/** The WASI keyvalue cache interface on the Ehcache store (heap and off-heap tiers). */
class EhcacheWasiKeyValueTest extends WasiKeyValueContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().offheapMb(16).maxObjectSize(1024 * 1024).build();
  }
}
