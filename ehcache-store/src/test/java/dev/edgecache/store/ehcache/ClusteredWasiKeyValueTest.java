package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import java.util.concurrent.atomic.AtomicInteger;

/** WasiKeyValueContract on the clustered tier of a real Terracotta server. */
class ClusteredWasiKeyValueTest extends dev.edgecache.kv.WasiKeyValueContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  @Override
  protected CacheStorage newStorage() {
    try {
      return EhcacheClusteredStorageTest.node(TerracottaServer.shared().uri("wasi-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
