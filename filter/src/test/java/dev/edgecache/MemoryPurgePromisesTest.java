package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The purge promises on the in-memory store, and its one clock with the cache's. */
class MemoryPurgePromisesTest extends PurgePromisesContract {
  @Override
  protected CacheStorage newStorage() {
    return MemoryStorage.builder().build();
  }

  @Test
  void theBuildersClockReachesTheDefaultStore() {
    Clock dayBehind = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
    try (EdgeCache behind = EdgeCache.builder().clock(dayBehind).build()) {
      CacheKey key = CacheKey.of("/hour");
      TestBodies.put(behind, key, TestBodies.ttl(Duration.ofHours(1)), bytes("an hour"));
      assertTrue(behind.lookup(key).isPresent(), "an object of an hour is there right after its insert");
    }
  }
}
