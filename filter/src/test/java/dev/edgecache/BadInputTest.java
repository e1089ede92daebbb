package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear exception of a documented type, and leaves the cache consistent. */
class BadInputTest {
  private final EdgeCache cache = EdgeCache.builder().maxKeyLength(64).build();
  private final CacheKey key = CacheKey.of("/k");
  private final WriteOptions minute = TestBodies.ttl(Duration.ofMinutes(1));

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void nullAndEmptyKeys() {
    assertThrows(NullPointerException.class, () -> CacheKey.of((String) null));
    assertThrows(NullPointerException.class, () -> CacheKey.of((byte[]) null));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> CacheKey.of(""));
    assertTrue(empty.getMessage().contains("empty"));
    assertThrows(NullPointerException.class, () -> cache.transactionLookup(null));
    assertThrows(NullPointerException.class, () -> cache.lookup(null));
    assertThrows(NullPointerException.class, () -> cache.purge(null));
  }

  @Test
  void keysOverTheMaximumLength() {
    CacheKey longKey = CacheKey.of("x".repeat(65));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.transactionLookup(longKey));
    assertTrue(e.getMessage().contains("65") && e.getMessage().contains("64"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> cache.insert(longKey, minute));
    assertThrows(IllegalArgumentException.class, () -> cache.lookup(longKey));
    assertThrows(IllegalArgumentException.class, () -> cache.replace(longKey, ReplaceOptions.DEFAULT));
    CacheKey exact = CacheKey.of("x".repeat(64));
    cache.transactionLookup(exact).close();
  }

  @Test
  void hostileKeysAreJustBytes() {
    CacheKey nul = CacheKey.of("/a\u0000b");
    CacheKey other = CacheKey.of("/a");
    TestBodies.put(cache, nul, minute, bytes("nul"));
    assertTrue(cache.lookup(other).isEmpty());
    assertEquals("/a\\x00b", nul.toString());
  }

  @Test
  void negativeDurationsAndLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WriteOptions.builder(Duration.ofSeconds(-1)));
    assertTrue(e.getMessage().contains("maxAge"));
    WriteOptions.Builder b = WriteOptions.builder(Duration.ofSeconds(1));
    assertThrows(IllegalArgumentException.class, () -> b.staleWhileRevalidate(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.staleIfError(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.initialAge(Duration.ofSeconds(-5)));
    assertThrows(IllegalArgumentException.class, () -> b.edgeMaxAge(Duration.ofSeconds(-5)));
    assertThrows(IllegalArgumentException.class, () -> b.length(-1));
    assertThrows(NullPointerException.class, () -> b.maxAge(null));
    assertThrows(IllegalArgumentException.class, () -> EdgeCache.builder().lockTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> EdgeCache.builder().lockTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> EdgeCache.builder().maxKeyLength(0));
  }

  @Test
  void badVaryRulesAndSurrogateKeys() {
    WriteOptions.Builder b = WriteOptions.builder(Duration.ofSeconds(1));
    assertThrows(IllegalArgumentException.class, () -> b.varyRule("*"));
    assertThrows(IllegalArgumentException.class, () -> b.varyRule("Accept:Language"));
    assertEquals(java.util.List.of("accept-language", "cookie"), b.varyRule("Accept-Language, cookie ACCEPT-LANGUAGE").build().varyRule());
    assertThrows(IllegalArgumentException.class, () -> b.surrogateKeys(java.util.List.of("bad\u0007tag")));
    assertThrows(IllegalArgumentException.class, () -> b.surrogateKeys(java.util.List.of("x".repeat(1025))));
    assertThrows(IllegalArgumentException.class, () -> cache.purgeSurrogateKey(""));
    assertThrows(IllegalArgumentException.class, () -> cache.purgeSurrogateKey("two tags"));
  }

  @Test
  void useOfAnEntryAfterClose() {
    TestBodies.put(cache, key, minute, bytes("x"));
    CacheEntry e = cache.lookup(key).orElseThrow();
    e.close();
    e.close(); // idempotent
    assertThrows(CacheStateException.class, e::state);
    assertThrows(CacheStateException.class, e::body);
    assertThrows(CacheStateException.class, e::hits);
    assertThrows(CacheStateException.class, () -> e.insert(minute));
  }

  @Test
  void aSecondInsertOnOneTransaction() throws IOException {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      BodySink sink = owner.insert(minute);
      CacheStateException e = assertThrows(CacheStateException.class, () -> owner.insert(minute));
      assertTrue(e.getMessage().contains("already"));
      assertThrows(CacheStateException.class, () -> owner.update(minute));
      sink.write(bytes("first"));
      sink.close();
    }
    assertEquals("first", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void ownerOperationsOnAnEntryThatDoesNotOwn() {
    TestBodies.put(cache, key, minute, bytes("x"));
    try (CacheEntry hit = cache.transactionLookup(key)) {
      assertThrows(CacheStateException.class, () -> hit.insert(minute));
      assertThrows(CacheStateException.class, () -> hit.update(minute));
      hit.cancel(); // nothing to cancel: no effect
    }
    assertEquals("x", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void anUpdateWithoutAnObjectToUpdate() {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertThrows(CacheStateException.class, () -> owner.update(minute));
      // the transaction is still open
      TestBodies.fill(owner, minute, bytes("inserted"));
    }
  }

  @Test
  void writesToAFinishedSinkFail() throws IOException {
    BodySink sink = cache.insert(key, minute);
    sink.write(bytes("a"));
    sink.close();
    assertThrows(IOException.class, () -> sink.write(bytes("b")));
    sink.close(); // idempotent
    assertEquals("a", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void aClosedCache() {
    EdgeCache closed = EdgeCache.builder().build();
    closed.close();
    assertThrows(CacheStateException.class, () -> closed.transactionLookup(key));
    assertThrows(CacheStateException.class, () -> closed.lookup(key));
    assertThrows(CacheStateException.class, () -> closed.purge(key));
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheCache() {
    try (EdgeCache c = EdgeCache.builder().listener(new CacheListener() {
      @Override
      public void purged(CacheKey k, boolean soft) {
        throw new IllegalStateException("hook bug");
      }
    }).build()) {
      TestBodies.put(c, key, minute, bytes("x"));
      assertTrue(c.purge(key));
    }
  }

  @Test
  void absurdDurationsClampInsteadOfWrapping() {
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofSeconds(Long.MAX_VALUE))
        .staleWhileRevalidate(Duration.ofSeconds(Long.MAX_VALUE))
        .staleIfError(Duration.ofSeconds(Long.MAX_VALUE)).build(), bytes("forever"));
    CacheEntry forever = cache.lookup(key).orElseThrow();
    assertEquals(java.util.Set.of(LookupState.FOUND, LookupState.USABLE), forever.state());
    assertTrue(forever.maxAge().orElseThrow().toMillis() > 0);

    CacheKey old = CacheKey.of("/old");
    TestBodies.put(cache, old, WriteOptions.builder(Duration.ofSeconds(60))
        .initialAge(Duration.ofSeconds(Long.MAX_VALUE)).build(), bytes("born stale"));
    assertTrue(cache.lookup(old).isEmpty(), "an object older than its max age is never fresh");
  }
}
