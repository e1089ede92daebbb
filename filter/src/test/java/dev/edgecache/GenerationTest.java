package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.fill;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.store.memory.MemoryStorage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A purge during a fill is never undone by that fill (cascache's generations). */
class GenerationTest {
  private final List<SelfHealReason> healed = new ArrayList<>();
  private final EdgeCache cache = EdgeCache.builder().listener(new CacheListener() {
    @Override
    public void selfHealed(CacheKey key, SelfHealReason reason) {
      healed.add(reason);
    }
  }).build();
  private final CacheKey key = CacheKey.of("/slow");

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void aPurgeDuringAFillKeepsTheFillFromCommittingVisibly() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    sink.write(bytes("fetched before the purge"));
    cache.purge(key);
    sink.close();
    assertTrue(cache.lookup(key).isEmpty(), "the purge must win over the slower fill");
    try (CacheEntry next = cache.transactionLookup(key)) {
      assertTrue(next.has(MUST_INSERT_OR_UPDATE));
    }
  }

  @Test
  void aPurgeBetweenLookupAndInsertAlsoWins() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    cache.purge(key);
    fill(owner, ttl(Duration.ofMinutes(1)), bytes("stale data"));
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void aSurrogateKeyPurgeDuringAFillWinsToo() throws Exception {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofMinutes(1)).surrogateKeys("t1").build(), bytes("v1"));
    cache.softPurge(key); // makes the next lookup an owner (stale, no windows)
    CacheEntry owner = cache.transactionLookup(key);
    assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
    BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).surrogateKeys("t1").build());
    sink.write(bytes("v2"));
    assertEquals(1, cache.purgeSurrogateKey("t1"));
    sink.close();
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void purgeAllDuringAFillWins() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    cache.purgeAll();
    sink.write(bytes("old epoch"));
    sink.close();
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void aFillAfterThePurgeCommits() {
    cache.purge(key);
    try (CacheEntry owner = cache.transactionLookup(key)) {
      fill(owner, ttl(Duration.ofMinutes(1)), bytes("new"));
    }
    assertEquals("new", TestBodies.text(cache.lookup(key).orElseThrow()));
    assertTrue(healed.isEmpty());
  }

  @Test
  void purgeRemovesEveryVariant() {
    for (String lang : List.of("en", "fr")) {
      try (CacheEntry owner = cache.transactionLookup(key,
          LookupOptions.builder().requestHeaders(RequestHeaders.of("Accept-Language", lang)).build())) {
        fill(owner, WriteOptions.builder(Duration.ofMinutes(1)).varyRule("Accept-Language").build(), bytes(lang));
      }
    }
    assertTrue(cache.purge(key));
    for (String lang : List.of("en", "fr")) {
      assertTrue(cache.lookup(key, LookupOptions.builder()
          .requestHeaders(RequestHeaders.of("Accept-Language", lang)).build()).isEmpty());
    }
  }

  @Test
  void aRecordFromAnOlderGenerationIsNeverServedAndIsDropped() throws Exception {
    // As a node that committed after a purge elsewhere, or died before cleaning up.
    MemoryStorage store = MemoryStorage.builder().build();
    try (EdgeCache node = EdgeCache.builder().storage(store, true).listener(new CacheListener() {
      @Override
      public void selfHealed(CacheKey k, SelfHealReason reason) {
        healed.add(reason);
      }
    }).build()) {
      long now = System.currentTimeMillis();
      try (MissHandler m = store.openMiss(StorageKey.of(key), new ObjectMeta(ObjectMeta.Kind.OBJECT,
          now, 0, 60_000, 60_000, 0, 0, 0, -1, List.of(), Set.of(), new byte[0], false, 0, 0, -1))) {
        m.write(ByteBuffer.wrap(bytes("from before the purge")));
        m.finish();
      }
      store.generations().bump(key);
      assertTrue(node.lookup(key).isEmpty());
      assertEquals(List.of(SelfHealReason.GENERATION_MISMATCH), healed);
      assertTrue(store.lookup(StorageKey.of(key)).isEmpty(), "the dead record was removed");
    }
  }

  @Test
  void aFillThatLostToAPurgeLeavesNoBytesBehind() throws Exception {
    MemoryStorage store = MemoryStorage.builder().build();
    try (EdgeCache node = EdgeCache.builder().storage(store, true).build()) {
      CacheEntry owner = node.transactionLookup(key);
      BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
      sink.write(new byte[100_000]);
      node.purge(key);
      sink.close();
      assertEquals(0, store.size(), "the purged fill's object is not kept");
      assertEquals(0, store.bytesUsed());
    }
  }
}
