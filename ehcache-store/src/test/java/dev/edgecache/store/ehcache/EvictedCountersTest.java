package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generation counters and the surrogate-key index live in caches that evict (here 100 entries
 * on heap each): filling them past their limits must never undo a purge, only cost misses.
 */
class EvictedCountersTest {
  private static final WriteOptions FRESH = WriteOptions.builder(Duration.ofMinutes(10)).build();
  private EhcacheStorage storage;
  private EdgeCache cache;

  @BeforeEach
  void start() {
    storage = EhcacheStorage.builder().offheapMb(0).heapEntries(10).build();
    cache = EdgeCache.builder().storage(storage, true).build();
  }

  @AfterEach
  void stop() {
    cache.close();
  }

  /** Purges other keys (each has a counter then) until {@code key}'s counter is evicted. */
  private void evictCounterOf(CacheKey key) {
    for (int i = 0; i < 200_000 && storage.generations().current(key) != EhcacheGenerations.LOST; i++) {
      storage.generations().bump(CacheKey.of("/other-" + i + "-" + System.nanoTime()));
    }
    assertEquals(EhcacheGenerations.LOST, storage.generations().current(key), "the counter was never evicted");
  }

  private static void write(BodySink sink, String body) throws Exception {
    try (BodySink s = sink) {
      s.write(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aFillThatLostToAPurgeStaysInvisibleWhenTheCounterIsEvicted() throws Exception {
    CacheKey key = CacheKey.of("/page");
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(LookupState.MUST_INSERT_OR_UPDATE));
      BodySink sink = owner.insert(FRESH);
      cache.purge(key); // the purge lands while the fill is under way
      evictCounterOf(key);
      write(sink, "before the purge");
    }
    assertFalse(cache.lookup(key).isPresent(), "the purged fill was served");
    try (CacheEntry again = cache.transactionLookup(key)) {
      assertTrue(again.has(LookupState.MUST_INSERT_OR_UPDATE), "a new fill owns the key");
      write(again.insert(FRESH), "after the purge");
    }
    Optional<CacheEntry> hit = cache.lookup(key);
    assertTrue(hit.isPresent());
    assertArrayEquals("after the purge".getBytes(StandardCharsets.UTF_8), hit.get().body().readAllBytes());
  }

  @Test
  void anObjectWhoseCounterIsEvictedIsAMissNeverAStaleRevival() throws Exception {
    CacheKey key = CacheKey.of("/kept");
    write(cache.insert(key, FRESH), "version 1");
    assertTrue(cache.lookup(key).isPresent());
    cache.purge(key);
    write(cache.insert(key, FRESH), "version 2");
    evictCounterOf(key);
    assertFalse(cache.lookup(key).isPresent(), "with its counter lost, the object counts as purged");
    write(cache.insert(key, FRESH), "version 3");
    assertArrayEquals("version 3".getBytes(StandardCharsets.UTF_8),
        cache.lookup(key).orElseThrow().body().readAllBytes());
  }

  @Test
  void aPurgeByTagReachesObjectsWhoseIndexSetWasEvicted() throws Exception {
    cache.close(); // a store whose index is small and whose counters are not: only sets are evicted
    storage = EhcacheStorage.builder().ehcacheXml(getClass().getResource("/small-index-ehcache.xml")).build();
    cache = EdgeCache.builder().storage(storage, true).build();
    CacheKey tagged = CacheKey.of("/news/1");
    write(cache.insert(tagged, WriteOptions.builder(Duration.ofMinutes(10)).surrogateKeys("news").build()), "story");
    assertTrue(cache.lookup(tagged).isPresent());
    for (int i = 0; i < 100_000 && storage.indexHolds("news"); i++) {
      write(cache.insert(CacheKey.of("/other/" + i),
          WriteOptions.builder(Duration.ofMinutes(10)).surrogateKeys("tag-" + i).build()), "x");
    }
    assertFalse(storage.indexHolds("news"), "the index set was never evicted");
    cache.purgeSurrogateKey("news"); // finds nothing in the index
    assertFalse(cache.lookup(tagged).isPresent(), "a purge by tag was undone by an evicted index set");

    // A soft purge cannot mark what it cannot find stale: it counts as a purge instead.
    CacheKey soft = CacheKey.of("/sports/1");
    write(cache.insert(soft, WriteOptions.builder(Duration.ofMinutes(10)).surrogateKeys("sports").build()), "match");
    for (int i = 0; i < 100_000 && storage.indexHolds("sports"); i++) {
      write(cache.insert(CacheKey.of("/more/" + i),
          WriteOptions.builder(Duration.ofMinutes(10)).surrogateKeys("more-" + i).build()), "x");
    }
    assertFalse(storage.indexHolds("sports"), "the index set was never evicted");
    cache.softPurgeSurrogateKey("sports");
    Optional<CacheEntry> after = cache.lookup(soft);
    assertTrue(after.isEmpty() || after.get().has(LookupState.STALE), "a soft purge by tag was lost");
  }

  @Test
  void aLostCounterStartsAgainAtAValueNoStampHad() {
    CacheKey key = CacheKey.of("/counter");
    long first = storage.generations().stamp(key);
    assertTrue(first > 0);
    assertEquals(first + 1, storage.generations().bump(key));
    evictCounterOf(key);
    long again = storage.generations().stamp(key);
    assertTrue(again != first && again != first + 1, "a remade counter reuses no old value");
  }

  @Test
  void anObjectWhoseScopeRecordIsEvictedCountsAsPurged() throws Exception {
    CacheKey key = CacheKey.of("/blog/post");
    WriteOptions inBlog = WriteOptions.builder(Duration.ofMinutes(10)).purgeScopes(java.util.List.of("blog")).build();
    write(cache.insert(key, inBlog), "post");
    cache.purgeScope("unrelated"); // the serial moves on: lookups now read their objects' scopes
    assertTrue(cache.lookup(key).isPresent(), "a purge of another scope keeps it");
    for (int i = 0; i < 200_000 && !storage.generations().scope("blog").equals(dev.edgecache.spi.ScopeState.LOST); i++) {
      storage.generations().bump(CacheKey.of("/other-" + i + "-" + System.nanoTime()));
    }
    assertEquals(dev.edgecache.spi.ScopeState.LOST, storage.generations().scope("blog"), "the record was never evicted");
    assertFalse(cache.lookup(key).isPresent(), "with its scope's record lost, the object counts as purged");
    write(cache.insert(key, inBlog), "post again");
    assertArrayEquals("post again".getBytes(StandardCharsets.UTF_8),
        cache.lookup(key).orElseThrow().body().readAllBytes());
  }
}
