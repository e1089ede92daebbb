package dev.edgecache.store.ehcache;

import dev.edgecache.kv.WasiKeyValueContract;
import dev.edgecache.spi.CacheStorage;
import java.io.File;
import org.junit.jupiter.api.io.TempDir;

/** The WASI keyvalue cache on the Ehcache store's heap, off-heap and disk tiers. */
class TieredWasiKeyValueTest extends WasiKeyValueContract {
  @TempDir
  File disk;

  @Override
  protected CacheStorage newStorage() {
    return TieredStores.in(disk);
  }
}
