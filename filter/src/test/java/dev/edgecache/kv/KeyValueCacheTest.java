package dev.edgecache.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.MutableClock;
import dev.edgecache.SelfHealReason;
import dev.edgecache.store.memory.MemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key-value face: typed values, one loader per key, compare-and-swap by generation. */
class KeyValueCacheTest {
  private static final Duration TTL = Duration.ofMinutes(1);
  private final MutableClock clock = new MutableClock();
  private final List<SelfHealReason> healed = new ArrayList<>();
  private final EdgeCache cache = EdgeCache.builder()
      .storage(MemoryStorage.builder().clock(clock).build(), true)
      .clock(clock)
      .listener(new CacheListener() {
        @Override
        public void selfHealed(CacheKey key, SelfHealReason reason) {
          healed.add(reason);
        }
      })
      .build();
  private final KeyValueCache<String> users = cache.keyValue("users", Codec.utf8());

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void setGetExistsDeleteAndTtl() {
    assertTrue(users.get("1").isEmpty());
    users.set("1", "ada", TTL);
    assertEquals(Optional.of("ada"), users.get("1"));
    assertTrue(users.exists("1"));
    users.set("1", "grace", TTL);
    assertEquals(Optional.of("grace"), users.get("1"));
    clock.advance(TTL);
    assertFalse(users.exists("1"), "gone when its TTL runs out");
    users.set("1", "ada", TTL);
    assertTrue(users.delete("1"));
    assertTrue(users.get("1").isEmpty());
    assertFalse(users.delete("1"));
  }

  @Test
  void namespacesAreApart() {
    KeyValueCache<String> orders = cache.keyValue("orders", Codec.utf8());
    KeyValueCache<String> tricky = cache.keyValue("user", Codec.utf8());
    users.set("1", "ada", TTL);
    assertTrue(orders.get("1").isEmpty());
    assertTrue(tricky.get("s1").isEmpty(), "namespace 'user' + key 's1' is not 'users' + '1'");
  }

  @Test
  void aLoaderSlowerThanTheLockTimeoutStillGivesAndKeepsItsValue() throws Exception {
    dev.edgecache.ManualTime time = new dev.edgecache.ManualTime();
    try (EdgeCache quick = EdgeCache.builder().clock(time.clock()).scheduler(time)
        .lockTimeout(Duration.ofMillis(100)).build()) {
      KeyValueCache<String> slow = quick.keyValue("slow", Codec.utf8());
      java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
      String value = slow.getOrSet("k", TTL, () -> {
        runs.incrementAndGet();
        // past the lock timeout: the owner has lost the key by the time the value is made
        time.advance(Duration.ofMillis(300));
        return "made slowly";
      });
      assertEquals("made slowly", value);
      assertEquals(java.util.Optional.of("made slowly"), slow.get("k"));
      assertEquals(1, runs.get());
    }
  }

  @Test
  void theLoaderRunsOnceForAllConcurrentCallers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger joined = new AtomicInteger();
    int callers = 24;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(pool.submit(() -> {
        start.await();
        java.util.concurrent.CompletableFuture<String> value = users.getOrSetAsync("42", TTL, () -> {
          calls.incrementAndGet();
          // every caller has its stage (joined this load, or started it) before the value is given
          dev.edgecache.Waits.until(() -> joined.get() == callers, "all callers joined");
          return "loaded";
        }).toCompletableFuture();
        joined.incrementAndGet();
        return value.get(10, TimeUnit.SECONDS);
      }));
    }
    start.countDown();
    for (Future<String> r : results) {
      assertEquals("loaded", r.get(20, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(1, calls.get());
    assertEquals(Optional.of("loaded"), users.get("42"));
  }

  @Test
  void afterALoaderThrowsTheNextCallTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> users.getOrSet("k", TTL, () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("database down");
    }));
    assertEquals("second", users.getOrSet("k", TTL, () -> {
      calls.incrementAndGet();
      return "second";
    }));
    assertEquals(2, calls.get());
  }

  @Test
  void waitersOfAFailingLoaderAllSeeTheFailure() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Future<String> leader = pool.submit(() -> users.getOrSet("k", TTL, () -> {
      calls.incrementAndGet();
      loading.countDown();
      release.await();
      throw new IllegalStateException("bad row");
    }));
    assertTrue(loading.await(10, TimeUnit.SECONDS));
    List<CompletableFuture<String>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(users.getOrSetAsync("k", TTL, () -> {
        calls.incrementAndGet();
        return "should not run";
      }).toCompletableFuture());
    }
    waiters.forEach(w -> assertFalse(w.isDone(), "waiting holds no thread and does not complete early"));
    release.countDown();
    ExecutionException e = assertThrows(ExecutionException.class, () -> leader.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException);
    for (CompletableFuture<String> w : waiters) {
      ExecutionException we = assertThrows(ExecutionException.class, () -> w.get(10, TimeUnit.SECONDS));
      assertTrue(we.getCause() instanceof IllegalStateException, we.toString());
    }
    pool.shutdown();
    assertEquals(1, calls.get());
    assertTrue(users.get("k").isEmpty(), "a failed load stores nothing");
  }

  @Test
  void aCheckedLoaderExceptionIsWrappedForBlockingCallers() {
    LoaderException e = assertThrows(LoaderException.class,
        () -> users.getOrSet("k", TTL, () -> {
          throw new IOException("checked");
        }));
    assertTrue(e.getCause() instanceof IOException);
  }

  @Test
  void setIfGenerationDoesNotUndoADelete() {
    users.set("u", "v1", TTL);
    long observed = users.generation("u");
    users.delete("u"); // someone invalidates while we read the database
    assertFalse(users.setIfGeneration("u", "v1-from-db", observed, TTL));
    assertTrue(users.get("u").isEmpty());
    long now = users.generation("u");
    assertTrue(users.setIfGeneration("u", "v2", now, TTL));
    assertEquals(Optional.of("v2"), users.get("u"));
  }

  @Test
  void getAllDropsAMemberWhoseGenerationMovedWhileItWasRead() {
    KeyValueCache<String>[] self = new KeyValueCache[1];
    Codec<String> deletingCodec = new Codec<>() {
      @Override
      public byte[] encode(String value) {
        return Codec.utf8().encode(value);
      }

      @Override
      public String decode(byte[] bytes) {
        String s = Codec.utf8().decode(bytes);
        if (s.equals("racy")) {
          self[0].delete("b"); // a purge lands between the snapshot and the read
        }
        return s;
      }
    };
    KeyValueCache<String> kv = cache.keyValue("bulk", deletingCodec);
    self[0] = kv;
    kv.set("a", "plain", TTL);
    kv.set("b", "racy", TTL);
    Map<String, String> all = kv.getAll(List.of("a", "b", "missing", "a"));
    assertEquals(Map.of("a", "plain"), all);
  }

  @Test
  void aValueThatCannotBeDecodedIsDroppedAndReported() {
    KeyValueCache<Integer> numbers = cache.keyValue("n", new Codec<>() {
      @Override
      public byte[] encode(Integer value) {
        return String.valueOf(value).getBytes();
      }

      @Override
      public Integer decode(byte[] bytes) {
        return Integer.valueOf(new String(bytes));
      }
    });
    cache.keyValue("n", Codec.utf8()).set("x", "not a number", TTL);
    assertTrue(numbers.get("x").isEmpty());
    assertEquals(List.of(SelfHealReason.VALUE_DECODE), healed);
    assertTrue(cache.keyValue("n", Codec.utf8()).get("x").isEmpty(), "the bad value was removed");
  }

  @Test
  void asyncVariants() throws Exception {
    users.setAsync("a", "1", TTL).toCompletableFuture().get();
    assertEquals(Optional.of("1"), users.getAsync("a").toCompletableFuture().get());
    assertTrue(users.existsAsync("a").toCompletableFuture().get());
    long g = users.generation("a");
    assertTrue(users.setIfGenerationAsync("a", "2", g, TTL).toCompletableFuture().get());
    assertEquals(Map.of("a", "2"), users.getAllAsync(List.of("a")).toCompletableFuture().get());
    assertTrue(users.deleteAsync("a").toCompletableFuture().get());
    assertEquals("3", users.getOrSetAsync("a", TTL, () -> "3").toCompletableFuture().get());
    CompletableFuture<Void> bad = users.setAsync("", "x", TTL).toCompletableFuture();
    assertThrows(ExecutionException.class, bad::get);
  }

  @Test
  void badArguments() {
    assertThrows(NullPointerException.class, () -> users.get(null));
    assertThrows(IllegalArgumentException.class, () -> users.get(""));
    assertThrows(IllegalArgumentException.class, () -> users.set("k", "v", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> users.set("k", "v", Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> users.set("k", null, TTL));
    assertThrows(NullPointerException.class, () -> users.getOrSet("k", TTL, null));
    assertThrows(IllegalArgumentException.class, () -> users.get("k".repeat(5000)));
    assertSame(users.getClass(), cache.keyValue("users", Codec.utf8()).getClass());
  }

  @Test
  void aValueSetWithoutATtlIsKeptUntilEvictedOrForTheFacesDefault() {
    users.set("forever", "ada");
    KeyValueCache<String> minute = cache.keyValue("minute", Codec.utf8(), Duration.ofMinutes(1));
    minute.set("short", "grace");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(Optional.of("ada"), users.get("forever"));
    assertTrue(minute.get("short").isEmpty(), "the face's default TTL ran out");
    clock.advance(Duration.ofDays(3650));
    assertEquals(Optional.of("ada"), users.get("forever"), "as if a very large TTL were used (WASI)");
  }

  /** WASI get-or-set: one caller gets the vacancy, the others wait for its value without a thread. */
  @Test
  void oneCallerGetsTheVacancyAndTheOthersItsValue() throws Exception {
    GetOrSetEntry<String> first = users.getOrSetEntry("v").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(first instanceof GetOrSetEntry.Vacant<String>, "an empty key is vacant: " + first);
    CompletableFuture<GetOrSetEntry<String>> second = users.getOrSetEntry("v").toCompletableFuture();
    assertFalse(second.isDone(), "the second waits for the vacancy to be filled");
    GetOrSetEntry.Vacancy<String> vacancy = ((GetOrSetEntry.Vacant<String>) first).vacancy();
    vacancy.fill("filled", Duration.ofMinutes(5));
    assertEquals(new GetOrSetEntry.Occupied<>("filled"), second.get(10, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> vacancy.fill("again"), "a vacancy is filled once");
    assertEquals(Optional.of("filled"), users.get("v"));
    clock.advance(Duration.ofMinutes(6));
    assertTrue(users.get("v").isEmpty(), "the TTL chosen when filled");
  }

  @Test
  void aVacancyGivenUpPassesToTheNextCaller() throws Exception {
    GetOrSetEntry<String> first = users.getOrSetEntry("g").toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<GetOrSetEntry<String>> second = users.getOrSetEntry("g").toCompletableFuture();
    ((GetOrSetEntry.Vacant<String>) first).vacancy().close();
    GetOrSetEntry<String> next = second.get(10, TimeUnit.SECONDS);
    assertTrue(next instanceof GetOrSetEntry.Vacant<String>, "the next caller gets the vacancy: " + next);
    ((GetOrSetEntry.Vacant<String>) next).vacancy().fill("second");
    assertEquals(Optional.of("second"), users.get("g"));
  }

  @Test
  void aVacancyFilledAfterADeleteKeepsNothing() throws Exception {
    GetOrSetEntry<String> first = users.getOrSetEntry("d").toCompletableFuture().get(10, TimeUnit.SECONDS);
    users.delete("d");
    ((GetOrSetEntry.Vacant<String>) first).vacancy().fill("read before the delete");
    assertTrue(users.get("d").isEmpty(), "a value made before a delete is not kept after it");
  }
}
