package dev.edgecache.kv;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;

/** cascache's CAS interface on the in-memory store. */
class MemoryCascacheTest extends CascacheContract {
  @Override
  protected CacheStorage newStorage() {
    return MemoryStorage.builder().build();
  }
}
