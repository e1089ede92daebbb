package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;

/** The storage contract on the Ehcache store with heap tiers only. */
class EhcacheHeapStorageTest extends CacheStorageContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().offheapMb(0).maxObjectSize(1024 * 1024).build();
  }
}
