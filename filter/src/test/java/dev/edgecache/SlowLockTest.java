package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.fill;
import static dev.edgecache.TestBodies.text;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store slow to take or renew a lock holds back only the callers of that key: no thread waits
 * on a flight's monitor while the store is asked, and callers who come meanwhile queue.
 */
class SlowLockTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final FailingStorage storage = new FailingStorage(MemoryStorage.builder().build());
  private final EdgeCache cache = EdgeCache.builder().storage(storage, true).build();
  private final CacheKey key = CacheKey.of("/slow-lock");

  @AfterEach
  void close() {
    storage.lockGate = null;
    cache.close();
  }

  @Test
  void whileTheStoreTakesTheLockOthersQueueAndNoMonitorIsHeld() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch at = new CountDownLatch(1);
    storage.atLockGate = at;
    storage.lockGate = gate;
    CompletableFuture<CacheEntry> first = CompletableFuture.supplyAsync(() -> cache.transactionLookup(key));
    assertTrue(at.await(10, TimeUnit.SECONDS), "the first lookup asks the store for the lock");
    CompletableFuture<CacheEntry> second = assertTimeoutPreemptively(WAIT, () -> {
      // both need the flight's monitor: neither may wait for the store's answer
      assertEquals(1, cache.activity().keysInFlight());
      return cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    });
    assertFalse(second.isDone(), "a caller that comes while the lock is being taken queues");
    assertEquals(1, cache.activity().waiters());
    storage.lockGate = null;
    gate.countDown();
    CacheEntry owner = first.get(10, TimeUnit.SECONDS);
    assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
    fill(owner, ttl(Duration.ofMinutes(1)), bytes("once"));
    assertEquals("once", text(second.get(10, TimeUnit.SECONDS)));
  }

  @Test
  void whileTheStoreRenewsTheLockForTheNextOwnerNoMonitorIsHeld() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> next = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch at = new CountDownLatch(1);
    storage.atLockGate = at;
    storage.lockGate = gate;
    CompletableFuture<Void> cancelled = CompletableFuture.runAsync(owner::cancel);
    assertTrue(at.await(10, TimeUnit.SECONDS), "the key passes on under a renewed lease");
    CompletableFuture<CacheEntry> third = assertTimeoutPreemptively(WAIT, () -> {
      assertEquals(1, cache.activity().keysInFlight());
      return cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    });
    assertFalse(third.isDone(), "a caller that comes while the key passes on queues");
    storage.lockGate = null;
    gate.countDown();
    cancelled.get(10, TimeUnit.SECONDS);
    CacheEntry nextOwner = next.get(10, TimeUnit.SECONDS);
    assertTrue(nextOwner.has(MUST_INSERT_OR_UPDATE));
    fill(nextOwner, ttl(Duration.ofMinutes(1)), bytes("second owner"));
    assertEquals("second owner", text(third.get(10, TimeUnit.SECONDS)));
  }
}
