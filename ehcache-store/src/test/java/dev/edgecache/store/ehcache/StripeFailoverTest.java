package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes of a cluster on a stripe of an active and a passive Terracotta server: the active is
 * killed, the passive takes over, and the nodes carry on with the same cache, its objects and its
 * purges, on the connection they had (it reconnects by itself), then a new passive joins.
 */
class StripeFailoverTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private static EhcacheStorage node(URI uri) {
    return EhcacheStorage.builder().cluster(uri).clusterMb(8).heapEntries(100).heapChunks(8)
        .offheapMb(0).maxObjectSize(1024 * 1024).build();
  }

  private static void put(EdgeCache cache, String path, String body, String tag) throws Exception {
    try (CacheEntry e = cache.transactionLookup(CacheKey.of(path))) {
      BodySink sink = e.insert(WriteOptions.builder(HOUR).surrogateKeys(tag).build());
      sink.write(body.getBytes(StandardCharsets.UTF_8));
      sink.close();
    }
  }

  /** Whether {@code path} is a fresh hit on {@code cache}; false while the tier does not answer. */
  private static boolean hit(EdgeCache cache, String path) {
    return cache.lookup(CacheKey.of(path)).map(e -> {
      try (e) {
        return e.state().contains(LookupState.USABLE) && !e.state().contains(LookupState.STALE);
      }
    }).orElse(false);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theNodesRideThroughTheActivesDeathOnTheirOwnConnection() throws Exception {
    List<String> rebuilt = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler watch = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (String.valueOf(r.getMessage()).contains("building a new one")) {
          rebuilt.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger(ManagerSlot.class.getName()).addHandler(watch);
    try (TerracottaStripe stripe = TerracottaStripe.start();
        EhcacheStorage storeA = node(stripe.uri("failover"));
        EhcacheStorage storeB = node(stripe.uri("failover"));
        EdgeCache a = EdgeCache.builder().storage(storeA, false).build();
        EdgeCache b = EdgeCache.builder().storage(storeB, false).build()) {
      for (int i = 0; i < 30; i++) {
        put(a, "/kept-" + i, "kept " + i, "kept");
        put(a, "/purged-" + i, "purged " + i, "gone");
      }
      assertTrue(hit(b, "/kept-0"), "the nodes share the cache");
      assertEquals(30, b.purgeSurrogateKey("gone"));

      String killed = stripe.killActive();
      long killedAt = System.nanoTime();
      // During the election: a crowd on a cold key costs one origin request per node at most
      int owners = crowd(a, "/cold-during-election", 20) + crowd(b, "/cold-during-election", 20);
      assertTrue(owners <= 2, owners + " owners of one cold key during the election");
      stripe.awaitActive();
      // both nodes serve what was stored before the kill again, on their old connection
      long backAfter = -1;
      while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(60)) {
        if (hit(a, "/kept-1") && hit(b, "/kept-2")) {
          backAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
          break;
        }
        // a miss while the tier is away opened its breaker: look again once both answer
        java.util.concurrent.CompletableFuture.allOf(storeA.whenAvailable(), storeB.whenAvailable())
            .get(60, TimeUnit.SECONDS);
      }
      System.out.println("stripe failover: shared hits again " + backAfter + " ms after the active was killed");
      assertTrue(backAfter >= 0, "the nodes never served shared hits again");
      int kept = 0;
      int purgedServed = 0;
      for (int i = 0; i < 30; i++) {
        kept += hit(b, "/kept-" + i) ? 1 : 0;
        purgedServed += hit(a, "/purged-" + i) ? 1 : 0;
      }
      assertEquals(30, kept, "every object stored before the kill is a hit after it");
      assertEquals(0, purgedServed, "no object purged before the kill is served after it");
      assertEquals(List.of(), rebuilt, "a connection that reconnects by itself is never replaced");

      stripe.rejoin(killed); // a new passive joins; nothing is lost meanwhile
      put(b, "/after-rejoin", "after", "kept");
      assertTrue(hit(a, "/after-rejoin"));
    } finally {
      Logger.getLogger(ManagerSlot.class.getName()).removeHandler(watch);
    }
  }

  /**
   * {@code callers} transaction lookups of {@code path} at once on {@code cache}; each owner fills
   * the key once the others have queued or streamed; returns how many owned it (went to the origin).
   */
  private static int crowd(EdgeCache cache, String path, int callers) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
    java.util.concurrent.atomic.AtomicInteger owners = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> bodies = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        bodies.add(pool.submit(() -> {
          start.await();
          try (CacheEntry e = cache.transactionLookup(CacheKey.of(path))) {
            if (e.has(LookupState.MUST_INSERT_OR_UPDATE)) {
              owners.incrementAndGet();
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (cache.activity().waiters() < callers - owners.get() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
              }
              BodySink sink = e.insert(WriteOptions.builder(HOUR).build());
              sink.write("from the origin".getBytes(StandardCharsets.UTF_8));
              sink.close();
              return "from the origin";
            }
            return new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
          }
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<String> body : bodies) {
        assertEquals("from the origin", body.get(60, TimeUnit.SECONDS));
      }
      return owners.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
