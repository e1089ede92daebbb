package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import java.util.concurrent.atomic.AtomicInteger;

/** FastlyCoreCacheContract on the clustered tier of a real Terracotta server. */
class ClusteredFastlyCoreCacheTest extends dev.edgecache.FastlyCoreCacheContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  @Override
  protected CacheStorage newStorage() {
    try {
      return EhcacheClusteredStorageTest.node(TerracottaServer.shared().uri("fastly-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
