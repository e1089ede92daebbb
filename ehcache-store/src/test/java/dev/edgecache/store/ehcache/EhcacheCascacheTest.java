package dev.edgecache.store.ehcache;

import dev.edgecache.kv.CascacheContract;
import dev.edgecache.spi.CacheStorage;

/** cascache's CAS interface on the Ehcache store (heap and off-heap tiers). */
class EhcacheCascacheTest extends CascacheContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().offheapMb(16).maxObjectSize(1024 * 1024).build();
  }
}
