package dev.edgecache.kv;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;

/** The WASI keyvalue cache interface on the in-memory store. */
class MemoryWasiKeyValueTest extends WasiKeyValueContract {
  @Override
  protected CacheStorage newStorage() {
    return MemoryStorage.builder().build();
  }
}
