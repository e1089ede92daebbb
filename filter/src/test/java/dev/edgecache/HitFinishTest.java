package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgecache.store.memory.MemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hit tells the store how it ended: read to the end, or not (pingora's HandleHit::finish). */
class HitFinishTest {
  @Test
  void eachHitTellsTheStoreWhetherItsBodyWasReadToTheEnd() throws IOException {
    FailingStorage store = new FailingStorage(MemoryStorage.builder().build());
    try (EdgeCache cache = EdgeCache.builder().storage(store, true).build()) {
      CacheKey key = CacheKey.of("/body");
      TestBodies.put(cache, key, ttl(Duration.ofMinutes(1)), bytes("0123456789"));
      try (CacheEntry whole = cache.lookup(key).orElseThrow(); InputStream in = whole.body()) {
        in.readAllBytes();
      }
      try (CacheEntry part = cache.lookup(key).orElseThrow(); InputStream in = part.body()) {
        in.read(); // a client that left after one byte
      }
      assertEquals(List.of(true, false), store.finishes);
    }
  }
}
