package dev.edgecache.store.ehcache;

import dev.edgecache.spi.CacheStorage;
import java.io.File;

/** The three-tier topology the contract suites run on: heap, off-heap and disk. */
final class TieredStores {
  private TieredStores() {}

  static CacheStorage in(File directory) {
    return EhcacheStorage.builder().heapEntries(100).heapChunks(8).offheapMb(16).diskMb(64)
        .diskDirectory(new File(directory, "tiers")).maxObjectSize(1024 * 1024).build();
  }
}
