package dev.edgecache;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stale objects: RFC 5861 stale-while-revalidate and stale-if-error, soft purges. */
class StaleTest {
  private final MutableClock clock = new MutableClock();
  private final EdgeCache cache = EdgeCache.builder()
      .storage(MemoryStorage.builder().clock(clock).build(), true)
      .clock(clock)
      .build();
  private final CacheKey key = CacheKey.of("/page");
  private final WriteOptions windows = WriteOptions.builder(Duration.ofSeconds(60))
      .staleWhileRevalidate(Duration.ofSeconds(30))
      .staleIfError(Duration.ofSeconds(300))
      .build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void withinStaleWhileRevalidateEveryoneMayUseItAndExactlyOneRevalidates() throws Exception {
    TestBodies.put(cache, key, windows, bytes("old"));
    clock.advance(Duration.ofSeconds(70));
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CacheEntry>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return cache.transactionLookup(key);
      }));
    }
    start.countDown();
    int revalidators = 0;
    for (Future<CacheEntry> f : results) {
      CacheEntry e = f.get(10, TimeUnit.SECONDS);
      assertTrue(e.state().containsAll(Set.of(FOUND, USABLE, STALE, USABLE_IF_ERROR)), e.state().toString());
      assertEquals("old", text(e));
      if (e.has(MUST_INSERT_OR_UPDATE)) {
        revalidators++;
      }
    }
    pool.shutdown();
    assertEquals(1, revalidators);
  }

  @Test
  void aRevalidationByUpdateFreshensTheObjectAndKeepsItsBody() {
    TestBodies.put(cache, key, windows, bytes("body"));
    clock.advance(Duration.ofSeconds(70));
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertTrue(e.has(MUST_INSERT_OR_UPDATE));
      assertEquals(Duration.ofSeconds(70), e.age().orElseThrow());
      e.update(windows);
    }
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertEquals(Set.of(FOUND, USABLE), e.state());
      assertEquals(Duration.ZERO, e.age().orElseThrow());
      assertEquals("body", text(e));
    }
  }

  @Test
  void anUpdateNeverGivesItsMetadataToAnObjectInsertedAfterItsLookup() {
    TestBodies.put(cache, key, windows.toBuilder().userMetadata(bytes("head of old")).build(), bytes("old"));
    clock.advance(Duration.ofSeconds(70));
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
      // another client's answer, stored outside the transaction while the owner revalidates
      TestBodies.put(cache, key, windows.toBuilder().userMetadata(bytes("head of new")).build(), bytes("new"));
      // the owner's 304 confirms the object it looked up, which is no longer there
      assertThrows(CacheStateException.class,
          () -> owner.update(windows.toBuilder().userMetadata(bytes("head of old, freshened")).build()));
    }
    CacheEntry found = cache.lookup(key).orElseThrow();
    assertEquals("new", text(found));
    assertEquals("head of new", new String(found.userMetadata(100).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void pastStaleWhileRevalidateButWithinStaleIfErrorTheCallerMustFetchButMayFallBack() throws Exception {
    TestBodies.put(cache, key, windows, bytes("fallback"));
    clock.advance(Duration.ofSeconds(200));
    CacheEntry owner = cache.transactionLookup(key);
    assertEquals(Set.of(FOUND, STALE, USABLE_IF_ERROR, MUST_INSERT_OR_UPDATE), owner.state());
    assertEquals("fallback", text(owner));
    // Others wait for the fetch rather than use the stale object.
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    Waits.until(() -> cache.activity().waiters() == 1, "the lookup waits for the owner's fetch");
    assertFalse(waiter.isDone());
    owner.cancel(); // the origin failed; the next caller owns and may serve stale too
    assertTrue(waiter.get(10, TimeUnit.SECONDS).state().contains(USABLE_IF_ERROR));
  }

  @Test
  void pastEveryWindowTheObjectIsGone() {
    TestBodies.put(cache, key, windows, bytes("dead"));
    clock.advance(Duration.ofSeconds(361));
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertEquals(Set.of(MUST_INSERT_OR_UPDATE), e.state());
      assertThrows(CacheStateException.class, e::body);
    }
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void anEdgeMaxAgeShorterThanTheMaxAgeSetsTheFreshnessHere() {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofSeconds(600))
        .edgeMaxAge(Duration.ofSeconds(10)).build(), bytes("x"));
    clock.advance(Duration.ofSeconds(11));
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertTrue(e.has(MUST_INSERT_OR_UPDATE));
    }
    assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder(Duration.ofSeconds(1))
        .edgeMaxAge(Duration.ofSeconds(2)).build());
  }

  @Test
  void theInitialAgeCountsTowardsFreshness() {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofSeconds(60))
        .initialAge(Duration.ofSeconds(50)).build(), bytes("x"));
    CacheEntry e = cache.lookup(key).orElseThrow();
    assertEquals(Duration.ofSeconds(50), e.age().orElseThrow());
    clock.advance(Duration.ofSeconds(11));
    assertFalse(cache.lookup(key).isPresent(), "50 s old plus 11 s is past a 60 s max age with no windows");
  }

  @Test
  void aSoftPurgeMakesTheObjectStaleButUsableWithinItsWindows() {
    TestBodies.put(cache, key, windows.toBuilder().surrogateKeys("catalogue").build(), bytes("soft"));
    assertTrue(cache.softPurge(key));
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertEquals(Set.of(FOUND, USABLE, STALE, USABLE_IF_ERROR, MUST_INSERT_OR_UPDATE), e.state());
      assertEquals("soft", text(e));
    }
    // by tag as well, and the windows count from the purge
    TestBodies.put(cache, key, windows.toBuilder().surrogateKeys("catalogue").build(), bytes("again"));
    assertEquals(1, cache.softPurgeSurrogateKey("catalogue"));
    clock.advance(Duration.ofSeconds(31));
    CacheEntry late = cache.lookup(key).orElseThrow();
    assertEquals(Set.of(FOUND, STALE, USABLE_IF_ERROR), late.state());
  }

  @Test
  void aSoftPurgeKeepsEveryVariantReachableAsStale() {
    LookupOptions en = LookupOptions.builder().requestHeaders(RequestHeaders.of("Accept-Language", "en")).build();
    try (CacheEntry owner = cache.transactionLookup(key, en)) {
      TestBodies.fill(owner, windows.toBuilder().varyRule("Accept-Language").build(), bytes("hello"));
    }
    assertTrue(cache.softPurge(key));
    CacheEntry e = cache.lookup(key, en).orElseThrow();
    assertEquals(Set.of(FOUND, USABLE, STALE, USABLE_IF_ERROR), e.state());
    assertEquals("hello", text(e));
  }

  @Test
  void anObjectKeptStaleIsFoundButNotUsableSoItsOwnerCanRevalidateIt() {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofSeconds(60))
        .keepStale(Duration.ofHours(1)).build(), bytes("kept"));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(Set.of(FOUND, STALE), cache.lookup(key).orElseThrow().state());
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertEquals(Set.of(FOUND, STALE, MUST_INSERT_OR_UPDATE), e.state());
      assertEquals("kept", text(e));
      e.update(WriteOptions.builder(Duration.ofSeconds(60)).build());
    }
    assertEquals(Set.of(FOUND, USABLE), cache.lookup(key).orElseThrow().state());
    clock.advance(Duration.ofHours(2));
    assertTrue(cache.lookup(key).isEmpty(), "gone once the keep-stale time is over too");
  }
}
