package dev.edgecache.store.ehcache;

import dev.edgecache.FastlyCoreCacheContract;
import dev.edgecache.spi.CacheStorage;
import java.io.File;
import org.junit.jupiter.api.io.TempDir;

/** Fastly's Core Cache on the Ehcache store's heap, off-heap and disk tiers. */
class TieredFastlyCoreCacheTest extends FastlyCoreCacheContract {
  @TempDir
  File disk;

  @Override
  protected CacheStorage newStorage() {
    return TieredStores.in(disk);
  }
}
