package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replacement with its three strategies. */
class ReplaceTest {
  private final EdgeCache cache = EdgeCache.builder().build();
  private final CacheKey key = CacheKey.of("/replace");
  private final WriteOptions minute = TestBodies.ttl(Duration.ofMinutes(1));

  @AfterEach
  void close() {
    cache.close();
  }

  private static ReplaceOptions strategy(ReplaceStrategy s) {
    return ReplaceOptions.builder().strategy(s).build();
  }

  @Test
  void immediateKeepsServingTheOldObjectUntilTheNewCommits() throws IOException {
    TestBodies.put(cache, key, minute, bytes("old"));
    try (ReplaceEntry r = cache.replace(key, strategy(ReplaceStrategy.IMMEDIATE))) {
      assertEquals(3, r.length().orElseThrow());
      assertEquals("old", new String(TestBodies.read(r.body(BodyRange.all()).orElseThrow())));
      assertTrue(r.state().orElseThrow().contains(LookupState.FOUND));
      BodySink sink = r.replaceInsert(minute);
      sink.write(bytes("new"));
      assertEquals("old", text(cache.lookup(key).orElseThrow()));
      sink.close();
      assertThrows(CacheStateException.class, () -> r.replaceInsert(minute));
    }
    assertEquals("new", text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void immediateForceMissHidesTheOldObjectAtOnce() throws IOException {
    TestBodies.put(cache, key, minute, bytes("old"));
    try (ReplaceEntry r = cache.replace(key, strategy(ReplaceStrategy.IMMEDIATE_FORCE_MISS))) {
      assertTrue(cache.lookup(key).isEmpty());
      try (BodySink sink = r.replaceInsert(minute)) {
        sink.write(bytes("new"));
      }
    }
    assertEquals("new", text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void transactionLookupsDuringAForceMissReplacementWaitForItInsteadOfTheOrigin() throws Exception {
    TestBodies.put(cache, key, minute, bytes("old"));
    ReplaceEntry r = cache.replace(key, strategy(ReplaceStrategy.IMMEDIATE_FORCE_MISS));
    CompletableFuture<CacheEntry> lookup = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    Waits.until(() -> cache.activity().waiters() == 1, "a lookup during the replacement waits for it");
    assertFalse(lookup.isDone(), "a lookup during the replacement waits for it");
    try (BodySink sink = r.replaceInsert(minute)) {
      sink.write(bytes("new"));
    }
    r.close();
    try (CacheEntry e = lookup.get(10, TimeUnit.SECONDS)) {
      assertFalse(e.has(MUST_INSERT_OR_UPDATE), "it never went to the origin");
      assertEquals("new", text(e));
    }
  }

  @Test
  void waitWaitsForAnImmediateReplacementInProgress() throws Exception {
    ReplaceEntry first = cache.replace(key, strategy(ReplaceStrategy.IMMEDIATE));
    CompletableFuture<ReplaceEntry> second = CompletableFuture.supplyAsync(
        () -> cache.replace(key, strategy(ReplaceStrategy.WAIT)));
    Waits.until(() -> cache.activity().waiters() == 1, "WAIT must not overtake an immediate replacement");
    assertFalse(second.isDone(), "WAIT must not overtake an immediate replacement");
    try (BodySink sink = first.replaceInsert(minute)) {
      sink.write(bytes("first"));
    }
    first.close();
    try (ReplaceEntry r = second.get(10, TimeUnit.SECONDS)) {
      assertEquals("first", new String(TestBodies.read(r.body(BodyRange.all()).orElseThrow())));
    }
  }

  @Test
  void waitWaitsForAnInsertInProgress() throws Exception {
    BodySink insert = cache.insert(key, minute);
    insert.write(bytes("inserted"));
    CompletableFuture<ReplaceEntry> replacing = CompletableFuture.supplyAsync(
        () -> cache.replace(key, strategy(ReplaceStrategy.WAIT)));
    Thread.sleep(100);
    assertFalse(replacing.isDone(), "WAIT must not overtake an insert in progress");
    insert.close();
    try (ReplaceEntry r = replacing.get(10, TimeUnit.SECONDS)) {
      assertEquals("inserted", new String(TestBodies.read(r.body(BodyRange.all()).orElseThrow())));
    }
  }

  @Test
  void anImmediateReplacementBesideAFillInProgressDoesNotWaitForIt() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    try (ReplaceEntry r = cache.replace(key, strategy(ReplaceStrategy.IMMEDIATE));
        BodySink sink = r.replaceInsert(minute)) {
      sink.write(bytes("beside"));
    }
    owner.close();
    assertEquals("beside", text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void aReplacementOfAMissingObjectReportsNothing() {
    try (ReplaceEntry r = cache.replace(key, ReplaceOptions.DEFAULT)) {
      assertTrue(r.state().isEmpty());
      assertTrue(r.body(BodyRange.all()).isEmpty());
      assertTrue(r.hits().isEmpty());
      assertTrue(r.userMetadata(10).isEmpty());
    }
  }

  @Test
  void waitWaitsForTheFillInProgressThenOwnsTheKey() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<ReplaceEntry> replacing = CompletableFuture.supplyAsync(
        () -> cache.replace(key, strategy(ReplaceStrategy.WAIT)));
    Waits.until(() -> cache.activity().waiters() == 1, "WAIT must not overtake a transaction in progress");
    assertFalse(replacing.isDone(), "WAIT must not overtake a transaction in progress");
    TestBodies.fill(owner, minute, bytes("first"));
    ReplaceEntry r = replacing.get(10, TimeUnit.SECONDS);
    assertEquals("first", new String(TestBodies.read(r.body(BodyRange.all()).orElseThrow())));
    try (BodySink sink = r.replaceInsert(minute)) {
      sink.write(bytes("second"));
    }
    r.close();
    assertEquals("second", text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void waitOnAColdKeyMakesTransactionLookupsWaitForTheReplacement() throws Exception {
    ReplaceEntry r = cache.replace(key, strategy(ReplaceStrategy.WAIT));
    CompletableFuture<CacheEntry> lookup = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    Waits.until(() -> cache.activity().waiters() == 1, "the lookup waits for the replacement");
    assertFalse(lookup.isDone());
    BodySink sink = r.replaceInsert(minute);
    sink.write(bytes("replacement"));
    sink.close();
    CacheEntry e = lookup.get(10, TimeUnit.SECONDS);
    assertFalse(e.has(MUST_INSERT_OR_UPDATE));
    assertEquals("replacement", text(e));
  }
}
