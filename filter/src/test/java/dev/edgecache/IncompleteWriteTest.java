package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A write that fails, is cancelled or has the wrong length is never served as complete. */
class IncompleteWriteTest {
  private final EdgeCache cache = EdgeCache.builder().build();
  private final CacheKey key = CacheKey.of("/half");

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void readersOfAnAbortedWriteGetAnErrorAndLaterLookupsMiss() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    sink.write(bytes("half of"));
    InputStream in = waiter.get(10, TimeUnit.SECONDS).body();
    assertArrayEquals(bytes("half of"), in.readNBytes(7));
    sink.abort();
    assertThrows(IOException.class, in::read);
    owner.close();
    assertTrue(cache.lookup(key).isEmpty());
    try (CacheEntry next = cache.transactionLookup(key)) {
      assertTrue(next.has(MUST_INSERT_OR_UPDATE), "an aborted write must leave a miss");
    }
  }

  @Test
  void cancellingAnEntryWhoseInsertStreamsAbortsTheWrite() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    sink.write(bytes("partial"));
    CacheEntry reader = cache.transactionLookup(key);
    owner.cancel();
    assertThrows(IOException.class, () -> reader.body().readAllBytes());
    assertThrows(IOException.class, () -> sink.write(bytes("more")));
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void closingTheEntryDoesNotAbortAnInsertThatStreams() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
    owner.close();
    sink.write(bytes("still"));
    sink.close();
    assertEquals("still", TestBodies.text(cache.lookup(key).orElseThrow()));
  }

  @Test
  void aBodyShorterThanDeclaredIsNotCommitted() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    // queued before the write begins
    CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, LookupOptions.DEFAULT)
        .toCompletableFuture();
    BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).length(10).build());
    sink.write(bytes("12345"));
    BodyLengthException e = assertThrows(BodyLengthException.class, sink::close);
    assertTrue(e.getMessage().contains("10"), e.getMessage());
    assertThrows(IOException.class, () -> waiter.get(10, TimeUnit.SECONDS).body().readAllBytes());
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void aBodyLongerThanDeclaredIsNotCommitted() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).length(4).build());
    sink.write(bytes("123"));
    assertThrows(BodyLengthException.class, () -> sink.write(bytes("45")));
    sink.close(); // after an abort, close does nothing
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void aBodyOfTheDeclaredLengthCommits() throws Exception {
    CacheEntry owner = cache.transactionLookup(key);
    try (BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).length(4).build())) {
      sink.write(bytes("1234"));
    }
    CacheEntry hit = cache.lookup(key).orElseThrow();
    assertEquals(4, hit.length().orElseThrow());
  }

  @Test
  void anObjectOverTheStoresMaximumStreamsToItsWriterButIsNotStored() throws Exception {
    try (EdgeCache small = EdgeCache.builder()
        .storage(dev.edgecache.store.memory.MemoryStorage.builder().maxObjectSize(1024).build(), true)
        .build()) {
      CacheEntry owner = small.transactionLookup(key);
      CompletableFuture<CacheEntry> waiter = small.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
      BodySink sink = owner.insert(ttl(Duration.ofMinutes(1)));
      sink.write(new byte[1000]);
      CacheEntry follower = waiter.get(10, TimeUnit.SECONDS);
      assertThrows(IOException.class, () -> sink.write(new byte[1000]));
      assertThrows(IOException.class, () -> follower.body().readAllBytes());
      assertTrue(small.lookup(key).isEmpty());
    }
  }

  @Test
  void aDeclaredLengthOverTheStoresMaximumReleasesWaitersAsPasses() throws Exception {
    try (EdgeCache small = EdgeCache.builder()
        .storage(dev.edgecache.store.memory.MemoryStorage.builder().maxObjectSize(1024).build(), true)
        .build()) {
      CacheEntry owner = small.transactionLookup(key);
      CompletableFuture<CacheEntry> waiter = small.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
      BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).length(4096).build());
      // The waiter does not wait for a response that will not be stored: it fetches on its own.
      assertTrue(waiter.get(10, TimeUnit.SECONDS).has(MUST_INSERT_OR_UPDATE));
      sink.write(new byte[4096]);
      sink.close();
      assertTrue(small.lookup(key).isEmpty());
    }
  }
}
