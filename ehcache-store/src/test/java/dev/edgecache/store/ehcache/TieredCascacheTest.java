package dev.edgecache.store.ehcache;

import dev.edgecache.kv.CascacheContract;
import dev.edgecache.spi.CacheStorage;
import java.io.File;
import org.junit.jupiter.api.io.TempDir;

/** Cascache's promises on the Ehcache store's heap, off-heap and disk tiers. */
class TieredCascacheTest extends CascacheContract {
  @TempDir
  File disk;

  @Override
  protected CacheStorage newStorage() {
    return TieredStores.in(disk);
  }
}
