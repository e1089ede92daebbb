package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.pattern;
import static dev.edgecache.TestBodies.read;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an entry tells: hits, age, lengths, user metadata, ranges, variants. */
class EntryTest {
  private final MutableClock clock = new MutableClock();
  private final EdgeCache cache = EdgeCache.builder()
      .storage(MemoryStorage.builder().clock(clock).build(), true)
      .clock(clock)
      .build();
  private final CacheKey key = CacheKey.of("/entry");

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void hitsAndAgeAreCountedPerEntry() {
    CacheKey other = CacheKey.of("/other");
    TestBodies.put(cache, key, TestBodies.ttl(Duration.ofMinutes(10)), bytes("a"));
    TestBodies.put(cache, other, TestBodies.ttl(Duration.ofMinutes(10)), bytes("b"));
    for (int i = 1; i <= 3; i++) {
      try (CacheEntry e = cache.transactionLookup(key)) {
        assertEquals(i, e.hits().orElseThrow());
      }
    }
    assertEquals(1, cache.lookup(other).orElseThrow().hits().orElseThrow());
    clock.advance(Duration.ofSeconds(42));
    assertEquals(Duration.ofSeconds(42), cache.lookup(key).orElseThrow().age().orElseThrow());
    assertEquals(Duration.ofMinutes(10), cache.lookup(key).orElseThrow().maxAge().orElseThrow());
  }

  @Test
  void userMetadataRoundTripsAndAShortBufferIsRefused() {
    byte[] meta = bytes("content-type: text/html");
    TestBodies.put(cache, key, WriteOptions.builder(Duration.ofMinutes(1)).userMetadata(meta)
        .staleWhileRevalidate(Duration.ofSeconds(5)).build(), bytes("<p>"));
    CacheEntry e = cache.lookup(key).orElseThrow();
    assertArrayEquals(meta, e.userMetadata(1024).orElseThrow());
    assertArrayEquals(meta, e.userMetadata(meta.length).orElseThrow());
    BufferTooSmallException small = assertThrows(BufferTooSmallException.class, () -> e.userMetadata(4));
    assertEquals(meta.length, small.requiredLength());
    assertThrows(IllegalArgumentException.class, () -> e.userMetadata(-1));
    assertEquals(Duration.ofSeconds(5), e.staleWhileRevalidate().orElseThrow());
    assertEquals(3, e.length().orElseThrow());
  }

  @Test
  void userMetadataOverTheCachesLimitIsRefusedAtInsert() {
    try (EdgeCache strict = EdgeCache.builder().maxUserMetadataLength(8).build();
        CacheEntry owner = strict.transactionLookup(key)) {
      assertThrows(IllegalArgumentException.class, () -> owner.insert(
          WriteOptions.builder(Duration.ofMinutes(1)).userMetadata(new byte[9]).build()));
      // the refused insert leaves the transaction open
      TestBodies.fill(owner, TestBodies.ttl(Duration.ofMinutes(1)), bytes("ok"));
    }
  }

  @Test
  void variantsSelectedByTheVaryRuleAreIndependent() throws Exception {
    WriteOptions vary = WriteOptions.builder(Duration.ofMinutes(1)).varyRule("Accept-Language").build();
    LookupOptions en = LookupOptions.builder().requestHeaders(RequestHeaders.of("accept-language", "en")).build();
    LookupOptions fr = LookupOptions.builder().requestHeaders(RequestHeaders.of("Accept-Language", "fr")).build();
    try (CacheEntry owner = cache.transactionLookup(key, en)) {
      TestBodies.fill(owner, vary, bytes("hello"));
    }
    assertEquals("hello", text(cache.transactionLookup(key, en)));
    try (CacheEntry frOwner = cache.transactionLookup(key, fr)) {
      assertTrue(frOwner.has(LookupState.MUST_INSERT_OR_UPDATE), "another variant is a miss");
      TestBodies.fill(frOwner, vary, bytes("bonjour"));
    }
    assertEquals("bonjour", text(cache.transactionLookup(key, fr)));
    assertEquals("hello", text(cache.transactionLookup(key, en)));
    assertEquals(2, cache.lookup(key, fr).orElseThrow().hits().orElseThrow());
  }

  @Test
  void waitersWhoseVariantDiffersFromTheOwnersGetTheirOwnTransaction() throws Exception {
    LookupOptions en = LookupOptions.builder().requestHeaders(RequestHeaders.of("Accept-Language", "en")).build();
    LookupOptions fr = LookupOptions.builder().requestHeaders(RequestHeaders.of("Accept-Language", "fr")).build();
    CacheEntry owner = cache.transactionLookup(key, en);
    CompletableFuture<CacheEntry> sameVariant = cache.transactionLookupNowOrLater(key, en).toCompletableFuture();
    CompletableFuture<CacheEntry> otherVariant = cache.transactionLookupNowOrLater(key, fr).toCompletableFuture();
    BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).varyRule("Accept-Language").build());
    sink.write(bytes("english"));
    CacheEntry fr1 = otherVariant.get(10, TimeUnit.SECONDS);
    assertTrue(fr1.has(LookupState.MUST_INSERT_OR_UPDATE), "a French request must not get the English body");
    sink.close();
    assertEquals("english", text(sameVariant.get(10, TimeUnit.SECONDS)));
    fr1.close();
  }

  @Test
  void rangesOfACompleteObject() throws Exception {
    byte[] body = pattern(100_000);
    TestBodies.put(cache, key, TestBodies.ttl(Duration.ofMinutes(1)), body);
    CacheEntry e = cache.lookup(key).orElseThrow();
    assertArrayEquals(Arrays.copyOfRange(body, 10, 21), read(e.body(BodyRange.of(10, 20))));
    assertArrayEquals(Arrays.copyOfRange(body, 99_990, 100_000), read(e.body(BodyRange.from(99_990))));
    assertArrayEquals(Arrays.copyOfRange(body, 50_000, 100_000), read(e.body(BodyRange.of(50_000, 1_000_000))));
    assertArrayEquals(body, read(e.body(BodyRange.all())));
    assertThrows(IllegalArgumentException.class, () -> e.body(BodyRange.from(100_000)));
    assertThrows(IllegalArgumentException.class, () -> BodyRange.of(5, 4));
    assertThrows(IllegalArgumentException.class, () -> BodyRange.from(-1));
  }

  @Test
  void aRangeOfAStreamingObjectWithoutKnownLengthIsTheWholeBodyUnlessAsked() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> whole = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    CompletableFuture<CacheEntry> ranged = cache.transactionLookupNowOrLater(key,
        LookupOptions.builder().alwaysUseRequestedRange(true).build()).toCompletableFuture();
    BodySink sink = owner.insert(TestBodies.ttl(Duration.ofMinutes(1)));
    sink.write(bytes("0123456789"));
    sink.close();
    assertEquals("0123456789", new String(read(whole.get(10, TimeUnit.SECONDS).body(BodyRange.of(2, 4)))));
    assertEquals("234", new String(read(ranged.get(10, TimeUnit.SECONDS).body(BodyRange.of(2, 4)))));
  }

  @Test
  void insertAndStreamBackReadsWhatTheOwnerWrites() throws IOException {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      Insertion ins = owner.insertAndStreamBack(WriteOptions.builder(Duration.ofMinutes(1))
          .surrogateKeys("a b").build());
      ins.body().write(bytes("echo"));
      assertArrayEquals(bytes("echo"), ins.entry().body().readNBytes(4));
      ins.body().close();
      assertEquals(Set.of(LookupState.FOUND, LookupState.USABLE), ins.entry().state());
      assertEquals(Set.of("a", "b"), ins.entry().surrogateKeys());
    }
  }

  @Test
  void aLargeBodyRoundTripsByteForByte() {
    byte[] body = pattern(3 * 1024 * 1024 + 7);
    try (CacheEntry owner = cache.transactionLookup(key)) {
      TestBodies.fill(owner, TestBodies.ttl(Duration.ofMinutes(1)), body);
    }
    assertArrayEquals(body, read(cache.lookup(key).orElseThrow().body()));
  }

  @Test
  void aKeyHoldsNoMoreVariantsThanTheCap() throws Exception {
    try (EdgeCache capped = EdgeCache.builder().maxVariantsPerKey(3).build()) {
      WriteOptions vary = WriteOptions.builder(Duration.ofMinutes(1)).varyRule("User-Agent").build();
      for (int i = 0; i < 10; i++) {
        LookupOptions ua = LookupOptions.builder().requestHeaders(RequestHeaders.of("User-Agent", "ua-" + i)).build();
        try (CacheEntry owner = capped.transactionLookup(key, ua)) {
          assertTrue(owner.has(LookupState.MUST_INSERT_OR_UPDATE));
          TestBodies.fill(owner, vary, bytes("for ua-" + i)); // the owner always has a sink
        }
      }
      for (int i = 0; i < 10; i++) {
        LookupOptions ua = LookupOptions.builder().requestHeaders(RequestHeaders.of("User-Agent", "ua-" + i)).build();
        assertEquals(i < 3, capped.lookup(key, ua).isPresent(), "variant " + i);
      }
    }
  }
}
