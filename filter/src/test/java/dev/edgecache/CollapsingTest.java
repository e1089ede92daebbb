package dev.edgecache;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.fill;
import static dev.edgecache.TestBodies.text;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request collapsing: one owner per key, waiters released to stream as soon as it inserts. */
class CollapsingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final EdgeCache cache = EdgeCache.builder().build();
  private final CacheKey key = CacheKey.of("/cold");

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void concurrentLookupsOfAColdKeyHaveExactlyOneOwner() throws Exception {
    assertEquals(1, Crowd.lookUpAtOnce(List.of(cache), key, 32, "from the origin"));
  }

  @Test
  void waitersStreamTheBytesAsTheOwnerWritesThem() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    assertEquals(java.util.Set.of(MUST_INSERT_OR_UPDATE), owner.state());
    List<CompletableFuture<CacheEntry>> waiters = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiters.add(cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
    }
    assertEquals(8, cache.activity().waiters(), "a waiter must wait while nobody inserts");
    waiters.forEach(w -> assertFalse(w.isDone(), "a waiter must wait while nobody inserts"));

    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    sink.write(bytes("first "));
    List<InputStream> bodies = new ArrayList<>();
    for (CompletableFuture<CacheEntry> w : waiters) {
      CacheEntry e = w.get(10, TimeUnit.SECONDS);
      assertTrue(e.state().containsAll(List.of(FOUND, USABLE)));
      bodies.add(e.body());
    }
    // The first bytes are readable while the owner has not finished.
    assertTimeoutPreemptively(WAIT, () -> {
      for (InputStream in : bodies) {
        assertArrayEquals(bytes("first "), in.readNBytes(6));
      }
    });
    sink.write(bytes("second"));
    sink.close();
    owner.close();
    for (InputStream in : bodies) {
      assertArrayEquals(bytes("second"), in.readAllBytes());
    }
    // and later lookups hit the committed object
    try (CacheEntry hit = cache.transactionLookup(key)) {
      assertEquals(java.util.Set.of(FOUND, USABLE), hit.state());
      assertEquals("first second", text(hit));
    }
  }

  @Test
  void whenTheOwnerCancelsOneWaiterBecomesTheNextOwner() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> a = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    CompletableFuture<CacheEntry> b = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    owner.cancel();
    CacheEntry next = CompletableFuture.anyOf(a, b).thenApply(x -> (CacheEntry) x).get(10, TimeUnit.SECONDS);
    assertTrue(next.has(MUST_INSERT_OR_UPDATE));
    CompletableFuture<CacheEntry> other = next == a.getNow(null) ? b : a;
    assertEquals(1, cache.activity().waiters(), "only one waiter may take the key over");
    assertFalse(other.isDone(), "only one waiter may take the key over");
    fill(next, ttl(Duration.ofMinutes(1)), bytes("second try"));
    assertEquals("second try", text(other.get(10, TimeUnit.SECONDS)));
  }

  @Test
  void closingAnOwningEntryWithoutInsertingCancels() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    owner.close();
    assertTrue(waiter.get(10, TimeUnit.SECONDS).has(MUST_INSERT_OR_UPDATE));
  }

  @Test
  void anOwnerThatStallsPastTheLockTimeoutLosesTheKey() throws Exception {
    AtomicInteger timedOut = new AtomicInteger();
    java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
    ManualTime time = new ManualTime();
    try (EdgeCache quick = onManualTime(time, Duration.ofMillis(200))
        .listener(new CacheListener() {
          @Override
          public void lockTimedOut(CacheKey k) {
            timedOut.incrementAndGet();
            told.countDown();
          }
        }).build()) {
      CacheEntry stalled = quick.transactionLookup(key);
      CompletableFuture<CacheEntry> waiting = quick.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
          .toCompletableFuture();
      time.advance(Duration.ofMillis(199));
      assertEquals(1, quick.activity().waiters(), "the waiter still waits a millisecond before the timeout");
      time.advance(Duration.ofMillis(1));
      CacheEntry next = waiting.get(10, TimeUnit.SECONDS);
      assertTrue(next.has(MUST_INSERT_OR_UPDATE));
      // the listener is told on the cache's executor, maybe after the waiter has its entry
      assertTrue(told.await(10, TimeUnit.SECONDS), "the lock timeout was reported");
      assertEquals(1, timedOut.get());
      CacheStateException late = assertThrows(CacheStateException.class,
          () -> stalled.insert(ttl(Duration.ofMinutes(1))));
      assertTrue(late.getMessage().contains("lock timeout"), late.getMessage());
      fill(next, ttl(Duration.ofMinutes(1)), bytes("taken over"));
      stalled.close();
      try (CacheEntry hit = quick.transactionLookup(key)) {
        assertEquals("taken over", text(hit));
      }
    }
  }

  @Test
  void atTheLockTimeoutEveryWaiterOwnsTheKeyOnItsOwnAtOnce() throws Exception {
    ManualTime time = new ManualTime();
    java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
    try (EdgeCache quick = onManualTime(time, Duration.ofMillis(200)).listener(new CacheListener() {
      @Override
      public void lockTimedOut(CacheKey k) {
        lost.countDown();
      }
    }).build()) {
      CacheEntry stalled = quick.transactionLookup(key);
      List<CompletableFuture<CacheEntry>> waiters = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        waiters.add(quick.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
      }
      // the owner's timeout and the waiters' own deadlines fall due together
      time.advance(Duration.ofMillis(200));
      List<CacheEntry> owners = new ArrayList<>();
      for (CompletableFuture<CacheEntry> w : waiters) {
        owners.add(w.get(10, TimeUnit.SECONDS));
      }
      // every one of them may fill: none lost the key to another (nginx's proxy_cache_lock_timeout)
      for (CacheEntry owner : owners) {
        assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
        fill(owner, ttl(Duration.ofMinutes(1)), bytes("own"));
      }
      assertTrue(lost.await(10, TimeUnit.SECONDS), "the stalled owner lost the key");
      assertThrows(CacheStateException.class, () -> stalled.insert(ttl(Duration.ofMinutes(1))));
      stalled.close();
    }
  }

  @Test
  void aWaiterWaitsAtMostTheLockTimeoutInAllWhileTheKeyPassesBetweenOwners() throws Exception {
    ManualTime time = new ManualTime();
    try (EdgeCache slow = onManualTime(time, Duration.ofSeconds(3)).build()) {
      CacheEntry first = slow.transactionLookup(key);
      CompletableFuture<CacheEntry> second = slow.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
      CompletableFuture<CacheEntry> third = slow.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
      time.advance(Duration.ofSeconds(2));
      first.cancel(); // the key passes to the second, whose own timeout is 3 s from now
      CacheEntry secondOwner = second.get(10, TimeUnit.SECONDS);
      assertTrue(secondOwner.has(MUST_INSERT_OR_UPDATE));
      assertFalse(third.isDone(), "the third has waited 2 s of its 3");
      // a second later the third has waited 3 s in all: it goes on its own, while the second
      // still owns the key (so handing the key on after its timeout would be too late)
      time.advance(Duration.ofSeconds(1));
      CacheEntry thirdOwner = third.get(10, TimeUnit.SECONDS);
      assertTrue(thirdOwner.has(MUST_INSERT_OR_UPDATE));
      fill(secondOwner, ttl(Duration.ofMinutes(1)), bytes("second"));
      fill(thirdOwner, ttl(Duration.ofMinutes(1)), bytes("third"));
      first.close();
    }
  }

  @Test
  void theLockTimeoutDoesNotCutAWriteInProgress() throws Exception {
    ManualTime time = new ManualTime();
    try (EdgeCache quick = onManualTime(time, Duration.ofMillis(100)).build()) {
      CacheEntry owner = quick.transactionLookup(key);
      BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
      CacheEntry waiter = quick.transactionLookup(key);
      assertFalse(waiter.has(MUST_INSERT_OR_UPDATE));
      for (int i = 0; i < 5; i++) {
        sink.write(bytes("x"));
        time.advance(Duration.ofMillis(60));
      }
      sink.close();
      assertEquals("xxxxx", text(waiter));
    }
  }

  /** A cache whose clock and deadlines the test moves. */
  private static EdgeCacheBuilder onManualTime(ManualTime time, Duration lockTimeout) {
    return EdgeCache.builder().clock(time.clock()).scheduler(time).lockTimeout(lockTimeout);
  }

  @Test
  void asyncWaitersHoldNoThreadWhileTheyWait() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    int before = Thread.activeCount();
    List<CompletableFuture<CacheEntry>> waiters = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      waiters.add(cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
    }
    assertTrue(Thread.activeCount() - before < 10, "waiting must not take a thread per waiter");
    assertTrue(waiters.stream().noneMatch(CompletableFuture::isDone));
    fill(owner, ttl(Duration.ofMinutes(1)), bytes("all of them"));
    for (CompletableFuture<CacheEntry> w : waiters) {
      assertEquals("all of them", text(w.get(10, TimeUnit.SECONDS)));
    }
  }

  @Test
  void aCancelledAsyncWaiterIsSkippedWhenTheKeyIsHandedOver() throws Exception {
    CacheEntry owner = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture().get();
    CompletableFuture<CacheEntry> gaveUp = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    CompletableFuture<CacheEntry> stayed = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    assertTrue(gaveUp.cancel(false));
    owner.cancel();
    assertTrue(stayed.get(10, TimeUnit.SECONDS).has(MUST_INSERT_OR_UPDATE));
  }

  @Test
  void anInterruptedBlockingWaiterGivesUpItsPlace() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    AtomicInteger interrupted = new AtomicInteger();
    Thread t = new Thread(() -> {
      try {
        cache.transactionLookup(key);
      } catch (CacheStateException e) {
        if (Thread.currentThread().isInterrupted()) {
          interrupted.incrementAndGet();
        }
      }
    });
    t.start();
    Waits.until(() -> cache.activity().waiters() == 1, "the blocking lookup is queued");
    t.interrupt();
    t.join(10_000);
    assertEquals(1, interrupted.get());
    CompletableFuture<CacheEntry> next = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    owner.cancel();
    assertTrue(next.get(10, TimeUnit.SECONDS).has(MUST_INSERT_OR_UPDATE));
  }

  @Test
  void aChainedStageThatReadsTheBodyDoesNotBlockTheOwner() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<String> read = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
        .thenApply(TestBodies::text).toCompletableFuture();
    assertTimeoutPreemptively(WAIT, () -> {
      BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
      sink.write(bytes("not on the owner's thread"));
      sink.close();
    });
    assertEquals("not on the owner's thread", read.get(10, TimeUnit.SECONDS));
  }
}
