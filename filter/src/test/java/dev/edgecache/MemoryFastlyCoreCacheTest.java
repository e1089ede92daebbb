package dev.edgecache;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;

/** Fastly's Core Cache interface on the in-memory store. */
class MemoryFastlyCoreCacheTest extends FastlyCoreCacheContract {
  @Override
  protected CacheStorage newStorage() {
    return MemoryStorage.builder().build();
  }
}
