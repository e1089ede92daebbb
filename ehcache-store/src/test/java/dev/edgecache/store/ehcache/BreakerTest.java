package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.StorageException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ehcache.Cache;
import org.ehcache.StateTransitionException;
import org.junit.jupiter.api.Test;

/** The breaker in front of the caches, on a cache that fails when told to and counts its calls. */
class BreakerTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();

  @SuppressWarnings("unchecked")
  private final Cache<String, Blob> cache = (Cache<String, Blob>) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {Cache.class}, (proxy, method, args) -> {
        calls.incrementAndGet();
        if (failing.get()) {
          throw new IllegalStateException("the server is gone");
        }
        return null;
      });

  @Test
  void afterAFailureNoRequestReachesTheCacheAndABackgroundProbeClosesTheBreaker() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    java.util.concurrent.CountDownLatch probed = new java.util.concurrent.CountDownLatch(3);
    Breaker breaker = new Breaker(10, () -> {
      probes.incrementAndGet();
      probed.countDown();
      if (failing.get()) {
        throw new IllegalStateException("still gone");
      }
    });
    try {
      Cache<String, Blob> guarded = breaker.guard("c", cache);
      assertNull(guarded.get("k"));
      assertFalse(breaker.open());

      failing.set(true);
      StorageException first = assertThrows(StorageException.class, () -> guarded.get("k"));
      assertTrue(first.getMessage().contains("the server is gone"), first.getMessage());
      assertTrue(breaker.open());
      int reached = calls.get();
      long attempts = breaker.attempts();
      for (int i = 0; i < 100; i++) {
        assertThrows(StorageException.class, () -> guarded.putIfAbsent("k", Records.counter(1)));
      }
      assertEquals(reached, calls.get(), "an open breaker keeps every request off the failing cache");
      assertEquals(attempts, breaker.attempts());
      assertTrue(probed.await(10, java.util.concurrent.TimeUnit.SECONDS), "the probe runs in the background");
      assertTrue(breaker.open(), "a failing probe keeps it open");

      failing.set(false);
      awaitTrue(() -> !breaker.open());
      assertNull(guarded.get("k"), "calls go through again");
      assertEquals(reached + 1, calls.get());
    } finally {
      breaker.close();
    }
  }

  /** A burst of requests failing together is one event: one trip, however many were in flight. */
  @Test
  void requestsFailingTogetherCountAsOneTrip() throws Exception {
    List<Integer> trips = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch inFlight = new java.util.concurrent.CountDownLatch(50);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    @SuppressWarnings("unchecked")
    Cache<String, Blob> slow = (Cache<String, Blob>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Cache.class}, (proxy, method, args) -> {
          inFlight.countDown();
          release.await(10, java.util.concurrent.TimeUnit.SECONDS);
          throw new IllegalStateException("the server paused");
        });
    Breaker breaker = new Breaker(60_000, () -> { });
    breaker.onTrip((failure, inARow) -> trips.add(inARow));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
    try {
      Cache<String, Blob> guarded = breaker.guard("c", slow);
      List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(pool.submit(() -> assertThrows(StorageException.class, () -> guarded.get("k"))));
      }
      assertTrue(inFlight.await(10, java.util.concurrent.TimeUnit.SECONDS), "all fifty are in flight");
      release.countDown();
      for (java.util.concurrent.Future<?> c : calls) {
        c.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertEquals(List.of(1), trips, "fifty failures of one event are one trip");
    } finally {
      pool.shutdownNow();
      breaker.close();
    }
  }

  @Test
  void failuresAreCountedInARowProbesIncludedAndASuccessStartsTheCountAgain() throws Exception {
    List<Integer> trips = new CopyOnWriteArrayList<>();
    Breaker breaker = new Breaker(5, () -> {
      if (failing.get()) {
        throw new IllegalStateException("still gone");
      }
    });
    breaker.onTrip((failure, inARow) -> trips.add(inARow));
    try {
      Cache<String, Blob> guarded = breaker.guard("c", cache);
      failing.set(true);
      assertThrows(StorageException.class, () -> guarded.remove("k"));
      awaitTrue(() -> trips.size() >= 3);
      // A copy: the probes go on tripping while the first three are compared.
      assertEquals(List.of(1, 2, 3), List.copyOf(trips).subList(0, 3),
          "the probe's failures count on from the request's");
      failing.set(false);
      awaitTrue(() -> !breaker.open());
      int before = trips.size();
      failing.set(true);
      assertThrows(StorageException.class, () -> guarded.containsKey("k"));
      assertEquals(1, trips.get(before), "a success started the count again");
    } finally {
      breaker.close();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition never met");
      Thread.onSpinWait();
    }
  }

  @Test
  void aDisconnectedTierManagerOrAFailedStateTransitionMeansTheManagerIsLost() {
    assertTrue(ManagerSlot.lost(new StorageException("the clustered tier is unavailable",
        new IllegalStateException("Cluster tier manager disconnected"))));
    assertTrue(ManagerSlot.lost(new StateTransitionException(new RuntimeException("closing"))));
    assertFalse(ManagerSlot.lost(new StorageException("timed out", new java.util.concurrent.TimeoutException())));
    assertFalse(ManagerSlot.lost(new IllegalStateException("something else")));
  }
}
