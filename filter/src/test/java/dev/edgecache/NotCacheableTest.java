package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hit-for-miss: a key found not cacheable stops collapsing for a while (Varnish). */
class NotCacheableTest {
  private final MutableClock clock = new MutableClock();
  private final EdgeCache cache = EdgeCache.builder()
      .storage(MemoryStorage.builder().clock(clock).build(), true)
      .clock(clock)
      .notCacheableTtl(Duration.ofSeconds(120))
      .build();
  private final CacheKey key = CacheKey.of("/personal");

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void waitersAreReleasedAtOnceAsOwnersThatNobodyWaitsFor() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    List<CompletableFuture<CacheEntry>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiters.add(cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
    }
    owner.cancelNotCacheable();
    for (CompletableFuture<CacheEntry> w : waiters) {
      CacheEntry e = w.get(10, TimeUnit.SECONDS);
      assertTrue(e.has(MUST_INSERT_OR_UPDATE), "each waiter fetches on its own, in parallel");
    }
  }

  @Test
  void laterLookupsWithinTheWindowDoNotQueueBehindOneAnother() {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      owner.cancelNotCacheable();
    }
    // Two owners at the same time: neither waits for the other.
    CacheEntry first = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> second = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
        .toCompletableFuture();
    assertTrue(first.has(MUST_INSERT_OR_UPDATE));
    assertTrue(second.isDone(), "a lookup within the hit-for-miss window must not queue");
    assertTrue(second.join().has(MUST_INSERT_OR_UPDATE));
    first.close();
    second.join().close();
  }

  @Test
  void afterTheWindowLookupsCollapseAgain() throws Exception {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      owner.cancelNotCacheable();
    }
    clock.advance(Duration.ofSeconds(121));
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    Waits.until(() -> cache.activity().waiters() == 1, "past the marker's life, lookups queue again");
    assertTrue(!waiter.isDone(), "past the marker's life, lookups queue again");
    owner.cancel();
    waiter.get(10, TimeUnit.SECONDS).close();
  }

  @Test
  void aPassOwnerThatFindsTheResponseCacheableAfterAllStoresIt() {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      owner.cancelNotCacheable();
    }
    try (CacheEntry pass = cache.transactionLookup(key)) {
      TestBodies.fill(pass, TestBodies.ttl(Duration.ofMinutes(1)), bytes("public now"));
    }
    assertEquals("public now", TestBodies.text(cache.transactionLookup(key)));
  }
}
