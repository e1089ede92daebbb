package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.TestBodies;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ehcache's own evictions of object records reach the cache's listener and the store's figures. */
class EhcacheEvictionReportTest {
  @Test
  void objectsEhcacheEvictsAreReportedAsEvictions() throws Exception {
    Set<CacheKey> evicted = ConcurrentHashMap.newKeySet();
    CountDownLatch some = new CountDownLatch(1);
    EhcacheStorage store = EhcacheStorage.builder().offheapMb(0).heapEntries(20).build();
    try (EdgeCache cache = EdgeCache.builder().storage(store, true).listener(new CacheListener() {
      @Override
      public void evicted(CacheKey key) {
        evicted.add(key);
        some.countDown();
      }
    }).build()) {
      for (int i = 0; i < 200; i++) {
        TestBodies.put(cache, CacheKey.of("/k" + i), TestBodies.ttl(Duration.ofHours(1)), new byte[100]);
      }
      assertTrue(some.await(20, TimeUnit.SECONDS), "Ehcache evicted records to keep 20 entries");
      assertTrue(store.figures().evictions() > 0, "the figures count them: " + store.figures());
      for (CacheKey k : evicted) {
        assertTrue(cache.lookup(k).isEmpty(), "what was reported is gone: " + k);
      }
    }
  }
}
