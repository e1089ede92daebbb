package dev.edgecache;

import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Objects the store removes on its own account reach the listener as evictions (pingora's PurgeType). */
class EvictionReportTest {
  private final List<CacheKey> evicted = new CopyOnWriteArrayList<>();
  private final List<CacheKey> purged = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock();
  private final MemoryStorage store = MemoryStorage.builder().clock(clock).capacityBytes(256 * 1024)
      .maxObjectSize(32 * 1024).build();

  private EdgeCache cache() {
    return EdgeCache.builder().storage(store, true).clock(clock).listener(new CacheListener() {
      @Override
      public void evicted(CacheKey key) {
        evicted.add(key);
      }

      @Override
      public void purged(CacheKey key, boolean soft) {
        purged.add(key);
      }
    }).build();
  }

  @Test
  void aStoreThatMakesRoomTellsWhichObjectsWent() {
    try (EdgeCache cache = cache()) {
      for (int i = 0; i < 40; i++) {
        TestBodies.put(cache, CacheKey.of("/k" + i), ttl(Duration.ofHours(1)), new byte[16 * 1024]);
      }
      assertFalse(evicted.isEmpty(), "the store made room");
      assertEquals(store.evictions(), evicted.size(), "one report per record evicted");
      for (CacheKey k : evicted) {
        assertTrue(cache.lookup(k).isEmpty(), "what was reported is gone");
      }
      assertTrue(purged.isEmpty(), "an eviction is no purge");
    }
  }

  @Test
  void anObjectPastItsLastUsableMomentIsReportedAsItGoes() {
    try (EdgeCache cache = cache()) {
      CacheKey key = CacheKey.of("/short");
      TestBodies.put(cache, key, ttl(Duration.ofSeconds(1)), new byte[10]);
      clock.advance(Duration.ofMinutes(1));
      assertTrue(cache.lookup(key).isEmpty());
      assertEquals(List.of(key), evicted);
    }
  }
}
