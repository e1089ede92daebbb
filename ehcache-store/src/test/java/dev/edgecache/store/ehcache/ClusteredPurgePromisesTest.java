package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import java.util.concurrent.atomic.AtomicInteger;

/** PurgePromisesContract on the clustered tier of a real Terracotta server. */
class ClusteredPurgePromisesTest extends dev.edgecache.PurgePromisesContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  @Override
  protected CacheStorage newStorage() {
    try {
      return EhcacheClusteredStorageTest.node(TerracottaServer.shared().uri("purge-promises-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
