package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While the store is away (a cluster tier lost: reads, writes and locks all fail), a node still
 * collapses on its own: one request per key goes to the origin, and those waiting for it stream
 * its write from this JVM's memory. Nothing is kept, and nothing says it is.
 */
class StoreAwayCollapsingTest {
  private final MutableClock clock = new MutableClock();
  private final FailingStorage storage = new FailingStorage(MemoryStorage.builder().clock(clock).build());
  private final EdgeCache cache = EdgeCache.builder().storage(storage, true).clock(clock).build();
  private final CacheKey key = CacheKey.of("/away");

  @AfterEach
  void close() {
    cache.close();
  }

  private void storeAway() {
    storage.failReads = true;
    storage.failWrites = true;
    storage.failLocks = true;
    storage.failGenerations = true;
  }

  @Test
  void aCrowdOnAColdKeyHasOneOwnerWhileTheStoreIsAway() throws Exception {
    storeAway();
    assertEquals(1, Crowd.lookUpAtOnce(List.of(cache), key, 32, "from the origin once"));
  }

  @Test
  void waitersStreamTheSharedWriteWhichIsNeitherKeptNorSaidToBe() throws Exception {
    storeAway();
    CacheEntry owner = cache.transactionLookup(key);
    assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
    List<CompletableFuture<CacheEntry>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiters.add(cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
    }
    Waits.until(() -> cache.activity().waiters() == 5, "the five wait for the owner");
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    assertTrue(sink.stores(), "its bytes go somewhere the waiters read");
    assertFalse(sink.keeps(), "but it is not stored");
    sink.write(bytes("shared "));
    List<CacheEntry> entries = new ArrayList<>();
    for (CompletableFuture<CacheEntry> w : waiters) {
      CacheEntry e = w.get(10, TimeUnit.SECONDS);
      assertFalse(e.has(MUST_INSERT_OR_UPDATE), "a waiter streams the owner's write");
      entries.add(e);
    }
    sink.write(bytes("once"));
    sink.close();
    owner.close();
    for (CacheEntry e : entries) {
      assertEquals("shared once", text(e));
    }
    // the write was not stored: once the store is back, the key is cold, not served from memory
    storage.failReads = false;
    storage.failWrites = false;
    storage.failLocks = false;
    storage.failGenerations = false;
    try (CacheEntry after = cache.transactionLookup(key)) {
      assertTrue(after.has(MUST_INSERT_OR_UPDATE), "nothing of the shared write is served later");
    }
  }

  /**
   * A crowd does not arrive at one instant: those who come just after the fill are served the
   * shared write from memory, for a few seconds at most while the store stays away, and never
   * after a purge here.
   */
  @Test
  void laterRequestsHitTheSharedWriteBrieflyAndAPurgeDropsIt() throws Exception {
    storeAway();
    fillOnce("first");
    try (CacheEntry soon = cache.transactionLookup(key)) {
      assertFalse(soon.has(MUST_INSERT_OR_UPDATE), "a request just after the fill is served from memory");
      assertEquals("first", text(soon));
    }
    clock.advance(Duration.ofSeconds(11));
    try (CacheEntry later = cache.transactionLookup(key)) {
      assertTrue(later.has(MUST_INSERT_OR_UPDATE), "past a few seconds the origin is asked again");
      TestBodies.fill(later, ttl(Duration.ofMinutes(1)), bytes("second"));
    }
    cache.purge(key);
    try (CacheEntry purged = cache.transactionLookup(key)) {
      assertTrue(purged.has(MUST_INSERT_OR_UPDATE), "a purge here drops what was shared");
    }
  }

  private void fillOnce(String body) throws Exception {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
      TestBodies.fill(owner, ttl(Duration.ofMinutes(1)), bytes(body));
    }
  }
}
