package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Terracotta server goes away while the cache is in use: nothing fails because of the cache.
 * Lookups miss, writes are dropped, the listener hears of it, and an owner still gets a sink. When
 * a server is back at the same address (restarted, so empty), the store finds it again by itself.
 */
class ClusterOutageTest {
  private static final WriteOptions MINUTE = WriteOptions.builder(Duration.ofMinutes(1)).build();

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void withTheServerGoneNoCallFailsAndTheStoreRecoversWhenItIsBack() throws Exception {
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
      insert(cache, key, "before");
      assertTrue(cache.lookup(key).isPresent());
      server.stop();
      // Hits come from the heap tiers without the server; the store's watch finds it gone
      // within a probe interval, and from then on nothing is served from them.
      long deadline0 = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (storage.available() && System.nanoTime() < deadline0) {
        Thread.sleep(50);
      }
      assertFalse(storage.available(), "the store says it is unavailable");
      assertTrue(cache.lookup(key).isEmpty(), "an unreachable store is a miss");
      try (CacheEntry e = cache.transactionLookup(key)) {
        assertTrue(e.has(LookupState.MUST_INSERT_OR_UPDATE), "the caller goes to the origin");
        try (BodySink sink = e.insert(MINUTE)) {
          sink.write("during".getBytes(StandardCharsets.UTF_8)); // accepted, not stored
        }
      }
      cache.purge(key);
      assertFalse(failures.isEmpty(), "the listener was told");
      // No request tries the tier again while it is down: a background probe does.
      long reached = storage.tierAttempts();
      for (int i = 0; i < 50; i++) {
        assertTrue(cache.lookup(CacheKey.of("/during-" + i)).isEmpty());
        try (CacheEntry e = cache.transactionLookup(CacheKey.of("/during-" + i))) {
          assertTrue(e.has(LookupState.MUST_INSERT_OR_UPDATE));
        }
      }
      assertEquals(reached, storage.tierAttempts(), "requests waited on the unavailable tier");

      // A restarted server without persistence: same address, nothing on it. The old manager's
      // tier manager is gone for good; the store builds a new manager and carries on.
      server = server.restart();
      long restarted = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      Optional<String> body = Optional.empty();
      while (body.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        insert(cache, key, "after"); // never throws: a failed store drops the write
        body = read(cache, key);
      }
      assertEquals(Optional.of("after"), body, "the store reconnected to the restarted server");
      assertTrue(storage.available());
      System.out.printf("cluster outage: the tier was back %d ms after the server%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));

      // What this node now writes is on the server: another node reads it.
      try (EdgeCache other = EdgeCache.builder().storage(EhcacheStorage.builder().cluster(server.uri("outage"))
          .clusterMb(4).offheapMb(0).build(), true).build()) {
        assertEquals(Optional.of("after"), read(other, key));
        other.purge(key);
        assertTrue(cache.lookup(key).isEmpty(), "a purge on the other node is seen here");
      }
    } finally {
      server.stop();
    }
  }

  private static void insert(EdgeCache cache, CacheKey key, String text) throws Exception {
    try (BodySink sink = cache.insert(key, MINUTE)) {
      sink.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Optional<String> read(EdgeCache cache, CacheKey key) throws Exception {
    Optional<CacheEntry> hit = cache.lookup(key);
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    try (CacheEntry e = hit.get(); InputStream in = e.body()) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
