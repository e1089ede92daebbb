package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Terracotta server goes away while the cache is in use: nothing fails because of the cache.
 * Lookups miss, writes are dropped, the listener hears of it, and an owner still gets a sink.
 */
class ClusterOutageTest {
  @Test
  void withTheServerGoneNoCallFails() throws Exception {
    TerracottaServer server = TerracottaServer.start();
    List<String> failures = new CopyOnWriteArrayList<>();
    EhcacheStorage storage = EhcacheStorage.builder().cluster(server.uri("outage")).clusterMb(4)
        .offheapMb(0).operationTimeout(Duration.ofSeconds(1)).build();
    try (EdgeCache cache = EdgeCache.builder().storage(storage, true).lockTimeout(Duration.ofSeconds(10))
        .listener(new CacheListener() {
          @Override
          public void storageFailed(String operation, CacheKey key, RuntimeException failure) {
            failures.add(operation);
          }
        }).build()) {
      CacheKey key = CacheKey.of("/outage");
      try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofMinutes(1)).build())) {
        sink.write("before".getBytes(StandardCharsets.UTF_8));
      }
      assertTrue(cache.lookup(key).isPresent());
      server.stop();

      long start = System.nanoTime();
      assertTrue(cache.lookup(key).isEmpty(), "an unreachable store is a miss");
      assertTrue(!storage.available(), "the store says it is unavailable");
      try (CacheEntry e = cache.transactionLookup(key)) {
        assertTrue(e.has(LookupState.MUST_INSERT_OR_UPDATE), "the caller goes to the origin");
        try (BodySink sink = e.insert(WriteOptions.builder(Duration.ofMinutes(1)).build())) {
          sink.write("during".getBytes(StandardCharsets.UTF_8)); // accepted, not stored
        }
      }
      cache.purge(key);
      // Bounded by the operation timeout of the first failing call, then failing fast; no fixed
      // figure asserted, only that it is nowhere near the 150 s of a connection lease.
      assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
      assertTrue(!failures.isEmpty(), "the listener was told");
      assertEquals(0, failures.stream().filter(f -> f == null).count());
    }
  }
}
