package dev.edgecache;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.ScopeState;
import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Purges of a scope: one step for every object in it, never undone by a fill that began before. */
class ScopePurgeTest {
  private final MutableClock clock = new MutableClock();
  private final List<String> heard = new ArrayList<>();
  private final CacheStorage storage = MemoryStorage.builder().clock(clock).build();
  private final EdgeCache cache = EdgeCache.builder()
      .storage(storage, true)
      .clock(clock)
      .listener(new CacheListener() {
        @Override
        public void scopePurged(String scope, boolean soft) {
          heard.add((soft ? "soft " : "") + scope);
        }

        @Override
        public void selfHealed(CacheKey key, SelfHealReason reason) {
          heard.add(reason + " " + key);
        }
      })
      .build();

  @AfterEach
  void close() {
    cache.close();
  }

  private static WriteOptions in(String... scopes) {
    return WriteOptions.builder(Duration.ofSeconds(60))
        .staleWhileRevalidate(Duration.ofSeconds(30))
        .staleIfError(Duration.ofSeconds(300))
        .purgeScopes(List.of(scopes)).build();
  }

  private void put(String key, WriteOptions options) {
    TestBodies.put(cache, CacheKey.of(key), options, bytes(key));
  }

  private boolean found(String key) {
    return cache.lookup(CacheKey.of(key)).isPresent();
  }

  @Test
  void aPurgeOfAScopeRemovesEveryObjectInItAndNoOther() {
    put("/blog/a", in("site", "site/blog"));
    put("/blog/b", in("site", "site/blog"));
    put("/shop/c", in("site", "site/shop"));
    put("/other", in("elsewhere"));
    put("/none", WriteOptions.builder(Duration.ofSeconds(60)).build());
    assertTrue(cache.purgeScope("site/blog"));
    assertFalse(found("/blog/a"));
    assertFalse(found("/blog/b"));
    assertTrue(found("/shop/c"));
    assertTrue(found("/other"));
    assertTrue(found("/none"));
    assertTrue(cache.purgeScope("site"));
    assertFalse(found("/shop/c"));
    assertTrue(found("/other"));
    assertEquals(List.of("site/blog", "SCOPE_PURGED /blog/a", "SCOPE_PURGED /blog/b", "site",
        "SCOPE_PURGED /shop/c"), heard);
  }

  @Test
  void whatIsFilledAfterThePurgeIsServed() {
    put("/blog/a", in("site/blog"));
    cache.purgeScope("site/blog");
    put("/blog/a", in("site/blog"));
    assertEquals("/blog/a", text(cache.lookup(CacheKey.of("/blog/a")).orElseThrow()));
    // another purge of another scope does not touch it
    cache.purgeScope("site/shop");
    assertTrue(found("/blog/a"));
  }

  @Test
  void aFillWhoseLookupCameBeforeThePurgeNeverCommitsVisibly() throws Exception {
    try (CacheEntry owner = cache.transactionLookup(CacheKey.of("/blog/slow"))) {
      assertTrue(owner.has(MUST_INSERT_OR_UPDATE));
      cache.purgeScope("site/blog"); // while the origin answers
      TestBodies.fill(owner, in("site/blog"), bytes("fetched before the purge"));
    }
    assertFalse(found("/blog/slow"), "the purge must win over the slower fill");
  }

  @Test
  void aFillWhoseBodyIsStillComingWhenThePurgeRunsNeverCommitsVisibly() throws Exception {
    CacheEntry owner = cache.transactionLookup(CacheKey.of("/blog/slow"));
    BodySink sink = owner.insert(in("site/blog"));
    sink.write(bytes("half of it"));
    cache.purgeScope("site/blog");
    sink.write(bytes(" and the rest"));
    sink.close();
    owner.close();
    assertFalse(found("/blog/slow"));
  }

  @Test
  void aPurgeOfAnUnrelatedScopeDuringAFillKeepsItOutToo() throws Exception {
    // the serial cannot tell which scope moved: a fill that overlaps any scope purge is not kept
    try (CacheEntry owner = cache.transactionLookup(CacheKey.of("/blog/slow"))) {
      cache.purgeScope("site/shop");
      TestBodies.fill(owner, in("site/blog"), bytes("body"));
    }
    assertFalse(found("/blog/slow"));
    put("/blog/slow", in("site/blog"));
    assertTrue(found("/blog/slow"));
  }

  @Test
  void aSoftPurgeOfAScopeServesStaleWithinTheWindowsCountedFromThePurge() {
    put("/blog/a", in("site/blog"));
    put("/shop/c", in("site/shop"));
    clock.advance(Duration.ofSeconds(10));
    assertTrue(cache.softPurgeScope("site/blog"));
    try (CacheEntry e = cache.transactionLookup(CacheKey.of("/blog/a"))) {
      assertEquals(Set.of(FOUND, USABLE, STALE, USABLE_IF_ERROR, MUST_INSERT_OR_UPDATE), e.state());
      assertEquals("/blog/a", text(e));
    }
    assertEquals(Set.of(FOUND, USABLE), cache.lookup(CacheKey.of("/shop/c")).orElseThrow().state());
    clock.advance(Duration.ofSeconds(31));
    assertEquals(Set.of(FOUND, STALE, USABLE_IF_ERROR), cache.lookup(CacheKey.of("/blog/a")).orElseThrow().state());
    // a hard purge after the soft one removes it
    cache.purgeScope("site/blog");
    assertFalse(found("/blog/a"));
  }

  @Test
  void anObjectFilledAfterASoftPurgeIsFreshUntilTheNextOne() {
    cache.softPurgeScope("site/blog");
    put("/blog/a", in("site/blog"));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(Set.of(FOUND, USABLE), cache.lookup(CacheKey.of("/blog/a")).orElseThrow().state());
    cache.softPurgeScope("site/blog");
    assertEquals(Set.of(FOUND, USABLE, STALE, USABLE_IF_ERROR),
        cache.lookup(CacheKey.of("/blog/a")).orElseThrow().state());
    clock.advance(Duration.ofSeconds(29));
    assertTrue(cache.lookup(CacheKey.of("/blog/a")).orElseThrow().has(USABLE),
        "its stale window counts from the purge that concerns it, not from an earlier one");
  }

  @Test
  void aScopeWhoseCounterWasLostPurgesWhatWasStampedWithIt() {
    ScopeState lost = ScopeState.LOST;
    assertTrue(lost.purges(0));
    assertTrue(lost.purges(Long.MAX_VALUE));
    ScopeState s = new ScopeState(100, 90, -1, -1);
    assertFalse(s.purges(100));
    assertTrue(s.softPurges(95));
    assertTrue(s.purges(89));
    assertTrue(s.purges(101), "a stamp from a counter made before this one's loss");
    assertEquals(new ScopeState(101, 101, -1, -1), s.purged(false, 5));
    assertEquals(new ScopeState(101, 90, 5, 5), s.purged(true, 5));
    ScopeState twice = s.purged(true, 5).purged(true, 9);
    assertEquals(new ScopeState(102, 90, 5, 9), twice);
    assertEquals(9, twice.softPurgedAt(101, 7), "the only purge after the stamp");
    assertEquals(7, twice.softPurgedAt(100, 7), "not before the object was made");
    assertEquals(5, twice.softPurgedAt(100, 2), "the first soft purge after the stamp, or earlier");
  }

  @Test
  void badScopesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> cache.purgeScope(""));
    assertThrows(IllegalArgumentException.class, () -> cache.purgeScope("x".repeat(WriteOptions.MAX_PURGE_SCOPE_LENGTH + 1)));
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= WriteOptions.MAX_PURGE_SCOPES; i++) {
      many.add("s" + i);
    }
    assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder(Duration.ZERO).purgeScopes(many));
  }

  @Test
  void aStoreThatFailsMakesThePurgeSayItWasNotRecorded() {
    FailingStorage failing = new FailingStorage(MemoryStorage.builder().build());
    try (EdgeCache c = EdgeCache.builder().storage(failing, true).build()) {
      TestBodies.put(c, CacheKey.of("/a"), in("s"), bytes("a"));
      failing.failGenerations = true;
      assertFalse(c.purgeScope("s"));
      failing.failGenerations = false;
      assertTrue(c.purgeScope("s"));
      assertTrue(c.lookup(CacheKey.of("/a")).isEmpty());
    }
  }
}
