package dev.edgecache.store.ehcache;

import dev.edgecache.PurgePromisesContract;
import dev.edgecache.spi.CacheStorage;
import java.io.File;
import org.junit.jupiter.api.io.TempDir;

/** The core API's purge promises on the Ehcache store's heap, off-heap and disk tiers. */
class TieredPurgePromisesTest extends PurgePromisesContract {
  @TempDir
  File disk;

  @Override
  protected CacheStorage newStorage() {
    return TieredStores.in(disk);
  }
}
