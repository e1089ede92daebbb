package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failing store never fails a caller: lookups miss, writes are skipped, collapsing goes local. */
class StorageFailureTest {
  private final FailingStorage storage = new FailingStorage(MemoryStorage.builder().build());
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final EdgeCache cache = EdgeCache.builder().storage(storage, true)
      .listener(new CacheListener() {
        @Override
        public void storageFailed(String operation, CacheKey key, RuntimeException failure) {
          failures.add(operation);
        }
      }).build();
  private final CacheKey key = CacheKey.of("/down");
  private final WriteOptions minute = TestBodies.ttl(Duration.ofMinutes(1));

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void anUpdateTheStoreFailsIsReportedNotThrown() {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofMinutes(1)).keepStale(Duration.ofHours(1)).build(),
        bytes("cached"));
    cache.softPurge(key);
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
      storage.failWrites = true;
      owner.update(minute); // a failing store never fails a caller
    }
    assertTrue(failures.contains("updateMeta"), failures.toString());
  }

  @Test
  void unreadableStoreMeansAMissAndTheListenerHears() {
    TestBodies.put(cache, key, minute, bytes("cached"));
    storage.failReads = true;
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertTrue(e.has(MUST_INSERT_OR_UPDATE));
    }
    assertTrue(cache.lookup(key).isEmpty());
    assertTrue(failures.contains("lookup"), failures.toString());
    storage.failReads = false;
    assertEquals("cached", text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void unwritableStoreStillGivesTheOwnerASinkAndItsWaitersItsBytes() throws Exception {
    storage.failWrites = true;
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    BodySink sink = owner.insert(minute);
    // the waiter streams the owner's write from memory, rather than going to the origin too
    CacheEntry next = waiter.get(10, TimeUnit.SECONDS);
    assertTrue(!next.has(MUST_INSERT_OR_UPDATE));
    sink.write(bytes("streams to its client anyway"));
    sink.close();
    assertEquals(28, sink.written());
    assertEquals("streams to its client anyway", text(next));
    assertTrue(!sink.keeps(), "and nothing is kept");
    storage.failWrites = false;
    assertTrue(cache.lookup(key).isEmpty());
    assertTrue(failures.contains("openMiss"), failures.toString());
  }

  @Test
  void withoutTheStoresLocksCollapsingStillHoldsInThisJvm() throws Exception {
    storage.failLocks = true;
    assertEquals(1, Crowd.lookUpAtOnce(List.of(cache), key, 16, "local"));
  }

  @Test
  void withoutGenerationsNothingIsServedThatAPurgeCouldHaveMissed() {
    storage.failGenerations = true;
    try (CacheEntry e = cache.transactionLookup(key)) {
      assertTrue(e.has(MUST_INSERT_OR_UPDATE));
      TestBodies.fill(e, minute, bytes("unverifiable"));
    }
    assertFalse(cache.purge(key));
    storage.failGenerations = false;
    assertTrue(cache.lookup(key).isEmpty(), "a fill that could not read its generation is never served");
  }

  /**
   * A cache whose store says another node owns {@code key} for the next ten minutes, and whose
   * lock watches then fail, as when the tier goes away.
   */
  private EdgeCache ownedElsewhereThenUnwatchable() {
    MemoryStorage memory = MemoryStorage.builder().build();
    FailingStorage failing = new FailingStorage(memory);
    EdgeCache patient = EdgeCache.builder().storage(failing, true).lockTimeout(Duration.ofMinutes(10)).build();
    assertTrue(memory.locks().tryAcquire(dev.edgecache.spi.StorageKey.of(key), Duration.ofMinutes(10)).isPresent());
    failing.failLockWatches = true;
    return patient;
  }

  @Test
  void waitersOfAnOwnerElsewhereGoOnTheirOwnWhenItsLockCannotBeWatched() throws Exception {
    try (EdgeCache patient = ownedElsewhereThenUnwatchable()) {
      CompletableFuture<CacheEntry> waiter = patient.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
      // nothing can wake it before the owner's lease runs out: it goes to the origin now
      try (CacheEntry e = waiter.get(30, TimeUnit.SECONDS)) {
        assertTrue(e.has(MUST_INSERT_OR_UPDATE));
      }
    }
  }

  @Test
  void waitersOfAnOwnerElsewhereWhoseLockCannotBeWatchedCollapseHere() throws Exception {
    try (EdgeCache patient = ownedElsewhereThenUnwatchable()) {
      java.util.List<CompletableFuture<CacheEntry>> waiters = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        waiters.add(patient.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture());
      }
      // one of them owns the key here; the others wait for it, not for the owner elsewhere
      CacheEntry owner = null;
      java.util.List<CompletableFuture<CacheEntry>> rest = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (owner == null && System.nanoTime() < deadline) {
        for (CompletableFuture<CacheEntry> w : waiters) {
          CacheEntry e = w.getNow(null);
          if (e != null && e.has(MUST_INSERT_OR_UPDATE)) {
            owner = e;
          }
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      assertTrue(owner != null, "one waiter owns the key in this JVM");
      for (CompletableFuture<CacheEntry> w : waiters) {
        if (w.getNow(null) != owner) {
          rest.add(w);
        }
      }
      TestBodies.fill(owner, minute, bytes("one origin request"));
      for (CompletableFuture<CacheEntry> w : rest) {
        try (CacheEntry e = w.get(30, TimeUnit.SECONDS)) {
          assertFalse(e.has(MUST_INSERT_OR_UPDATE), "only one goes to the origin");
          assertEquals("one origin request", text(e));
        }
      }
    }
  }
}
