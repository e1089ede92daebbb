package dev.edgecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The async operations return at once: the store and the loader work on the cache's threads. */
class AsyncLookupTest {
  @Test
  void anAsyncLookupAsksTheStoreOnTheCachesThreadsNotTheCallers() throws Exception {
    FailingStorage slow = new FailingStorage(MemoryStorage.builder().build());
    try (EdgeCache cache = EdgeCache.builder().storage(slow, true).build()) {
      slow.lookupGate = new CountDownLatch(1); // the store does not answer until opened
      CompletableFuture<CacheEntry> lookup = cache.transactionLookupAsync(CacheKey.of("/slow"), LookupOptions.DEFAULT)
          .toCompletableFuture();
      assertFalse(lookup.isDone(), "the stage came back before the store answered");
      slow.lookupGate.countDown();
      try (CacheEntry entry = lookup.get(20, TimeUnit.SECONDS)) {
        assertTrue(entry.has(LookupState.MUST_INSERT_OR_UPDATE));
      }
    }
  }

  @Test
  void getOrSetAsyncRunsItsLoaderOffTheCallersThread() throws Exception {
    try (EdgeCache cache = EdgeCache.builder().build()) {
      KeyValueCache<String> kv = cache.keyValue("kv", Codec.utf8());
      AtomicReference<Thread> loadedOn = new AtomicReference<>();
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> value = kv.getOrSetAsync("k", Duration.ofMinutes(1), () -> {
        loadedOn.set(Thread.currentThread());
        release.await(20, TimeUnit.SECONDS);
        return "loaded";
      }).toCompletableFuture();
      assertFalse(value.isDone(), "the stage came back while the loader still runs");
      release.countDown();
      assertEquals("loaded", value.get(20, TimeUnit.SECONDS));
      assertNotSame(Thread.currentThread(), loadedOn.get());
    }
  }
}
