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
  void afterAFailureCallsFailFastWithoutReachingTheCacheUntilTheCoolOffEnds() {
    Breaker breaker = new Breaker(3_600_000);
    Cache<String, Blob> guarded = breaker.guard("c", cache);
    assertNull(guarded.get("k"));
    assertFalse(breaker.open());

    failing.set(true);
    StorageException first = assertThrows(StorageException.class, () -> guarded.get("k"));
    assertTrue(first.getMessage().contains("the server is gone"), first.getMessage());
    assertTrue(breaker.open());
    int reached = calls.get();
    for (int i = 0; i < 100; i++) {
      assertThrows(StorageException.class, () -> guarded.putIfAbsent("k", Records.counter(1)));
    }
    assertEquals(reached, calls.get(), "an open breaker keeps calls off the failing cache");

    failing.set(false);
    breaker.reset();
    assertNull(guarded.get("k"), "a reset breaker lets calls through at once");
    assertEquals(reached + 1, calls.get());
  }

  @Test
  void tripsAreCountedInARowAndASuccessStartsTheCountAgain() {
    Breaker breaker = new Breaker(0); // no cool-off: each call reaches the cache
    List<Integer> trips = new CopyOnWriteArrayList<>();
    breaker.onTrip((failure, inARow) -> trips.add(inARow));
    Cache<String, Blob> guarded = breaker.guard("c", cache);
    failing.set(true);
    for (int i = 0; i < 3; i++) {
      assertThrows(StorageException.class, () -> guarded.remove("k"));
    }
    failing.set(false);
    guarded.remove("k");
    failing.set(true);
    assertThrows(StorageException.class, () -> guarded.containsKey("k"));
    assertEquals(List.of(1, 2, 3, 1), trips);
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
