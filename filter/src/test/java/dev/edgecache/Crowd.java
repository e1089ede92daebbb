package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Many threads that look one key up at the same moment, as a crowd of requests would. */
final class Crowd {
  private Crowd() {}

  /**
   * Starts {@code callers} transaction lookups of {@code key} at once, spread over {@code caches}
   * in turn. Each caller that owns the key waits until the others are queued behind it and
   * fills it with {@code body}; the others read what they get. Checks that every caller ended
   * with {@code body}, and returns how many owned the key.
   */
  static int lookUpAtOnce(List<EdgeCache> caches, CacheKey key, int callers, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger owners = new AtomicInteger();
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        EdgeCache cache = caches.get(i % caches.size());
        results.add(pool.submit(() -> {
          start.await();
          try (CacheEntry e = cache.transactionLookup(key)) {
            if (e.has(MUST_INSERT_OR_UPDATE)) {
              owners.incrementAndGet();
              // every other caller queues behind this one before it fills
              Waits.until(() -> caches.stream().mapToInt(c -> c.activity().waiters()).sum()
                  >= callers - owners.get(), "the other callers queued");
              TestBodies.fill(e, TestBodies.ttl(Duration.ofMinutes(1)), TestBodies.bytes(body));
              return body;
            }
            return TestBodies.text(e);
          }
        }));
      }
      start.countDown();
      for (Future<String> r : results) {
        assertEquals(body, r.get(20, TimeUnit.SECONDS));
      }
      return owners.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
