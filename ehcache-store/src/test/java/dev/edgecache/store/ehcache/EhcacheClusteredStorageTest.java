package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on the clustered tier of a real Terracotta server, and two nodes (two
 * CacheManagers) sharing it: one owner for a cold key across both, purges seen at once.
 */
class EhcacheClusteredStorageTest extends CacheStorageContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  static EhcacheStorage node(URI uri) {
    return EhcacheStorage.builder().cluster(uri).clusterMb(4).heapEntries(100).heapChunks(8)
        .offheapMb(0).maxObjectSize(1024 * 1024).build();
  }

  @Override
  protected CacheStorage newStorage() {
    try {
      return node(TerracottaServer.shared().uri("contract-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void oneOwnerAcrossTwoNodesAndPurgesSeenAtOnce() throws Exception {
    URI uri = TerracottaServer.shared().uri("two-nodes-" + ENTITIES.incrementAndGet());
    try (EdgeCache a = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build();
         EdgeCache b = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build()) {
      CacheKey key = CacheKey.of("/cluster/cold");
      int callers = 16;
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger owners = new AtomicInteger();
      List<Future<String>> bodies = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        EdgeCache node = i % 2 == 0 ? a : b;
        bodies.add(pool.submit(() -> {
          start.await();
          try (CacheEntry e = node.transactionLookup(key)) {
            if (e.has(LookupState.MUST_INSERT_OR_UPDATE)) {
              owners.incrementAndGet();
              Thread.sleep(300);
              try (BodySink sink = e.insert(WriteOptions.builder(Duration.ofMinutes(1)).build())) {
                sink.write("once".getBytes(StandardCharsets.UTF_8));
              }
              return "once";
            }
            return new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
          }
        }));
      }
      start.countDown();
      for (Future<String> body : bodies) {
        assertEquals("once", body.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertEquals(1, owners.get(), "one origin fill for the whole cluster");
      assertTrue(b.lookup(key).isPresent());
      a.purge(key);
      assertTrue(b.lookup(key).isEmpty(), "a purge on one node is a purge on the other");
    }
  }
}
