package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import java.util.concurrent.atomic.AtomicInteger;

/** CascacheContract on the clustered tier of a real Terracotta server. */
class ClusteredCascacheTest extends dev.edgecache.kv.CascacheContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  @Override
  protected CacheStorage newStorage() {
    try {
      return EhcacheClusteredStorageTest.node(TerracottaServer.shared().uri("cascache-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
