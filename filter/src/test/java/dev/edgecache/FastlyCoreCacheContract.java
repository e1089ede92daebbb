package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.CacheStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fastly's Core Cache interface ({@code ../shared/reference/fastly-core-cache-wit.txt}) as a
 * contract: one test per operation or option, named in the interface's words, run on every store.
 * The README's core API table points here.
 */
public abstract class FastlyCoreCacheContract {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private EdgeCache cache;
  private final CacheKey key = CacheKey.of("/fastly");

  /** A new, empty store. */
  protected abstract CacheStorage newStorage();

  @BeforeEach
  void open() {
    cache = EdgeCache.builder().storage(newStorage(), true).build();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private void put(WriteOptions options, String body) {
    TestBodies.put(cache, key, options, bytes(body));
  }

  @Test
  void lookupFindsNothingThenWhatInsertWrote() throws IOException {
    assertTrue(cache.lookup(key).isEmpty());
    try (BodySink sink = cache.insert(key, WriteOptions.builder(MINUTE).build())) {
      sink.write(bytes("inserted"));
    }
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertEquals(EnumSet.of(LookupState.FOUND, LookupState.USABLE), found.state());
      assertEquals("inserted", read(found.body()));
    }
  }

  @Test
  void transactionLookupMakesTheFirstCallerMustInsertOrUpdate() {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(LookupState.MUST_INSERT_OR_UPDATE));
      assertFalse(owner.has(LookupState.FOUND));
    }
  }

  @Test
  void transactionLookupAsyncIsAPendingEntryThatAwaitEntryResolves() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> pending = cache.transactionLookupAsync(key, LookupOptions.DEFAULT)
        .toCompletableFuture();
    try (BodySink sink = owner.insert(WriteOptions.builder(MINUTE).build())) {
      sink.write(bytes("for the pending"));
    }
    owner.close();
    try (CacheEntry awaited = pending.get(20, TimeUnit.SECONDS)) {
      assertEquals("for the pending", read(awaited.body()));
    }
  }

  @Test
  void closePendingEntryGivesUpItsPlace() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> pending = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
        .toCompletableFuture();
    assertTrue(pending.cancel(false));
    owner.cancel(); // the key is free: nobody waits for it any more
    owner.close();
    try (CacheEntry next = cache.transactionLookup(key)) {
      assertTrue(next.has(LookupState.MUST_INSERT_OR_UPDATE));
    }
  }

  @Test
  void transactionInsertIsStreamedToWaitersAsItIsWritten() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
        .toCompletableFuture();
    BodySink sink = owner.insert(WriteOptions.builder(MINUTE).build());
    sink.write(bytes("first "));
    try (CacheEntry streaming = waiter.get(20, TimeUnit.SECONDS); InputStream in = streaming.body()) {
      assertEquals("first ", new String(in.readNBytes(6), java.nio.charset.StandardCharsets.UTF_8));
      sink.write(bytes("then more"));
      sink.close();
      assertEquals("then more", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    owner.close();
  }

  @Test
  void transactionInsertAndStreamBackGivesTheOwnerItsOwnWrite() throws IOException {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      Insertion insertion = owner.insertAndStreamBack(WriteOptions.builder(MINUTE).build());
      insertion.body().write(bytes("streamed back"));
      insertion.body().close();
      try (CacheEntry back = insertion.entry()) {
        assertEquals("streamed back", read(back.body()));
      }
    }
  }

  @Test
  void transactionUpdateFreshensTheObjectWithoutItsBody() throws IOException {
    put(WriteOptions.builder(MINUTE).keepStale(Duration.ofHours(1)).build(), "kept body");
    cache.softPurge(key);
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(LookupState.STALE) && owner.has(LookupState.MUST_INSERT_OR_UPDATE));
      owner.update(WriteOptions.builder(Duration.ofMinutes(5)).build());
    }
    try (CacheEntry fresh = cache.lookup(key).orElseThrow()) {
      assertTrue(fresh.has(LookupState.USABLE) && !fresh.has(LookupState.STALE));
      assertEquals(Optional.of(Duration.ofMinutes(5)), fresh.maxAge());
      assertEquals("kept body", read(fresh.body()));
    }
  }

  @Test
  void transactionCancelLetsTheNextCallerOwnTheKey() {
    try (CacheEntry owner = cache.transactionLookup(key)) {
      owner.cancel();
    }
    try (CacheEntry next = cache.transactionLookup(key)) {
      assertTrue(next.has(LookupState.MUST_INSERT_OR_UPDATE));
    }
  }

  @Test
  void getStateSaysFoundUsableStaleAndUsableIfError() {
    put(WriteOptions.builder(MINUTE).staleWhileRevalidate(MINUTE).staleIfError(Duration.ofHours(1)).build(), "v");
    cache.softPurge(key);
    try (CacheEntry stale = cache.lookup(key).orElseThrow()) {
      assertEquals(EnumSet.of(LookupState.FOUND, LookupState.USABLE, LookupState.STALE, LookupState.USABLE_IF_ERROR),
          stale.state());
    }
  }

  @Test
  void getUserMetadataIsWhatWasWrittenAndRefusesAShortBuffer() {
    put(WriteOptions.builder(MINUTE).userMetadata(bytes("metadata")).build(), "v");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertArrayEquals(bytes("metadata"), found.userMetadata(64).orElseThrow());
      assertThrows(BufferTooSmallException.class, () -> found.userMetadata(3));
    }
  }

  @Test
  void getBodyReadsTheRangeFromTo() throws IOException {
    put(WriteOptions.builder(MINUTE).build(), "0123456789");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertEquals("2345", read(found.body(BodyRange.of(2, 5))));
      assertEquals("789", read(found.body(BodyRange.from(7))));
    }
  }

  @Test
  void alwaysUseRequestedRangeHonoursARangeOfAWriteOfUnknownLength() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> ranged = cache.transactionLookupNowOrLater(key,
        LookupOptions.builder().alwaysUseRequestedRange(true).build()).toCompletableFuture();
    BodySink sink = owner.insert(WriteOptions.builder(MINUTE).build());
    sink.write(bytes("0123456789"));
    try (CacheEntry reader = ranged.get(20, TimeUnit.SECONDS); InputStream in = reader.body(BodyRange.of(2, 4))) {
      sink.close();
      assertEquals("234", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    owner.close();
  }

  @Test
  void getLengthIsTheBodysOnceKnown() {
    put(WriteOptions.builder(MINUTE).length(4).build(), "four");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertEquals(OptionalLong.of(4), found.length());
    }
  }

  @Test
  void getMaxAgeStaleWhileRevalidateAndAgeAreWhatTheWriteSaid() {
    put(WriteOptions.builder(Duration.ofMinutes(10)).staleWhileRevalidate(Duration.ofSeconds(30))
        .initialAge(Duration.ofSeconds(20)).build(), "v");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertEquals(Optional.of(Duration.ofMinutes(10)), found.maxAge());
      assertEquals(Optional.of(Duration.ofSeconds(30)), found.staleWhileRevalidate());
      assertTrue(found.age().orElseThrow().compareTo(Duration.ofSeconds(20)) >= 0, "initial age counts: " + found.age());
    }
  }

  @Test
  void getHitsCountsEachUsableLookup() {
    put(WriteOptions.builder(MINUTE).build(), "v");
    for (int i = 1; i <= 3; i++) {
      try (CacheEntry found = cache.lookup(key).orElseThrow()) {
        assertEquals(OptionalLong.of(i), found.hits());
      }
    }
  }

  @Test
  void edgeMaxAgeGovernsFreshnessHereWhileMaxAgeIsReported() {
    put(WriteOptions.builder(Duration.ofMinutes(10)).edgeMaxAge(Duration.ofSeconds(1))
        .initialAge(Duration.ofSeconds(5)).staleWhileRevalidate(MINUTE).build(), "v");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertTrue(found.has(LookupState.STALE), "stale by the edge max age: " + found.state());
      assertEquals(Optional.of(Duration.ofMinutes(10)), found.maxAge());
    }
  }

  @Test
  void varyRuleAndRequestHeadersKeepOneObjectPerVariant() {
    for (String lang : new String[] {"en", "fr"}) {
      TestBodies.put(cache, key, WriteOptions.builder(MINUTE).varyRule("Accept-Language")
          .requestHeaders(RequestHeaders.of("Accept-Language", lang)).build(), bytes(lang));
    }
    for (String lang : new String[] {"en", "fr"}) {
      try (CacheEntry found = cache.lookup(key, LookupOptions.builder()
          .requestHeaders(RequestHeaders.of("Accept-Language", lang)).build()).orElseThrow()) {
        assertEquals(lang, TestBodies.text(found));
      }
    }
  }

  @Test
  void surrogateKeysPurgeEveryObjectThatCarriesThem() {
    put(WriteOptions.builder(MINUTE).surrogateKeys("a b").build(), "v");
    assertEquals(1, cache.purgeSurrogateKey("b"));
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void sensitiveDataIsStoredAndServedAsAnyOther() throws IOException {
    put(WriteOptions.builder(MINUTE).sensitive(true).build(), "secret");
    try (CacheEntry found = cache.lookup(key).orElseThrow()) {
      assertEquals("secret", read(found.body()));
    }
  }

  @Test
  void replaceImmediateKeepsTheOldObjectVisibleUntilTheNewCommits() throws IOException {
    put(WriteOptions.builder(MINUTE).build(), "old");
    try (ReplaceEntry replacing = cache.replace(key, ReplaceOptions.builder().strategy(ReplaceStrategy.IMMEDIATE).build())) {
      assertEquals(Optional.of(Set.of(LookupState.FOUND, LookupState.USABLE)), replacing.state());
      BodySink sink = replacing.replaceInsert(WriteOptions.builder(MINUTE).build());
      sink.write(bytes("new"));
      assertEquals("old", TestBodies.text(cache.lookup(key).orElseThrow()));
      sink.close();
    }
    assertEquals("new", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void replaceImmediateForceMissHidesTheOldObjectAtOnce() throws IOException {
    put(WriteOptions.builder(MINUTE).build(), "old");
    try (ReplaceEntry replacing = cache.replace(key,
        ReplaceOptions.builder().strategy(ReplaceStrategy.IMMEDIATE_FORCE_MISS).build())) {
      BodySink sink = replacing.replaceInsert(WriteOptions.builder(MINUTE).build());
      // the old object is gone at once: a lookup now finds nothing, or the new write as it goes
      Optional<CacheEntry> during = cache.lookup(key);
      sink.write(bytes("new"));
      sink.close();
      during.ifPresent(e -> assertEquals("new", TestBodies.text(e)));
    }
    assertEquals("new", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void closeReplaceEntryWithoutInsertLeavesTheObject() {
    put(WriteOptions.builder(MINUTE).build(), "old");
    cache.replace(key, ReplaceOptions.builder().strategy(ReplaceStrategy.WAIT).build()).close();
    assertEquals("old", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void closeEntryOfAnOwnerThatWroteNothingFreesTheKey() {
    cache.transactionLookup(key).close();
    try (CacheEntry next = cache.transactionLookup(key)) {
      assertTrue(next.has(LookupState.MUST_INSERT_OR_UPDATE));
    }
  }
}
