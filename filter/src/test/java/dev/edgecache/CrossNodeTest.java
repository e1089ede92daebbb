package dev.edgecache;

import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.memory.MemoryStorage;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two caches on one store, as two nodes on a shared tier: collapsing, streaming and purges hold
 * across them through the store's locks, write tags and generations alone.
 */
class CrossNodeTest {
  private final MemoryStorage shared = MemoryStorage.builder().build();
  private final EdgeCache a = EdgeCache.builder().storage(shared, false).lockTimeout(Duration.ofMillis(500)).build();
  private final EdgeCache b = EdgeCache.builder().storage(shared, false).lockTimeout(Duration.ofMillis(500)).build();
  private final CacheKey key = CacheKey.of("/shared");

  @AfterEach
  void close() {
    a.close();
    b.close();
    shared.close();
  }

  @Test
  void oneOwnerAcrossBothNodes() throws Exception {
    assertEquals(1, Crowd.lookUpAtOnce(List.of(a, b), key, 32, "once"));
  }

  @Test
  void aWaiterOnTheOtherNodeStreamsTheOwnersWrite() throws Exception {
    CacheEntry owner = a.transactionLookup(key);
    CompletableFuture<CacheEntry> remote = b.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    Waits.until(() -> b.activity().waiters() == 1, "the other node's lookup is queued");
    assertFalse(remote.isDone());
    BodySink sink = owner.insert(TestBodies.ttl(Duration.ofMinutes(1)));
    sink.write(bytes("part one;"));
    CacheEntry follower = remote.get(10, TimeUnit.SECONDS);
    InputStream in = follower.body();
    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertArrayEquals(bytes("part one;"), in.readNBytes(9)));
    sink.write(bytes("part two"));
    sink.close();
    assertArrayEquals(bytes("part two"), in.readAllBytes());
  }

  @Test
  void whenTheRemoteOwnerCancelsAWaiterHereTakesOver() throws Exception {
    CacheEntry owner = a.transactionLookup(key);
    CompletableFuture<CacheEntry> remote = b.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture();
    owner.cancel();
    assertTrue(remote.get(10, TimeUnit.SECONDS).has(MUST_INSERT_OR_UPDATE));
  }

  @Test
  void aCrashedOwnersLockIsTakenOverAfterItsLease() throws Exception {
    // An owner that never ends its transaction, as a node that died: its lease runs out.
    MemoryStorage store = MemoryStorage.builder().build();
    EdgeCache crashed = EdgeCache.builder().storage(store, false).lockTimeout(Duration.ofMillis(300)).build();
    EdgeCache survivor = EdgeCache.builder().storage(store, false).lockTimeout(Duration.ofMillis(300)).build();
    crashed.transactionLookup(key);
    crashed.close(); // stops its timer: nothing hands the key over from that node
    CacheEntry next = survivor.transactionLookupNowOrLater(key, LookupOptions.DEFAULT).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertTrue(next.has(MUST_INSERT_OR_UPDATE));
    next.close();
    survivor.close();
  }

  @Test
  void aPurgeOnOneNodeIsSeenOnTheOther() {
    TestBodies.put(a, key, TestBodies.ttl(Duration.ofMinutes(1)), bytes("v1"));
    assertEquals("v1", text(b.lookup(key).orElseThrow()));
    b.purge(key);
    assertTrue(a.lookup(key).isEmpty());
  }

  @Test
  void aPurgeOnOneNodeDuringAFillOnTheOtherWins() throws Exception {
    CacheEntry owner = a.transactionLookup(key);
    BodySink sink = owner.insert(TestBodies.ttl(Duration.ofMinutes(1)));
    sink.write(bytes("old"));
    b.purge(key);
    sink.close();
    assertTrue(b.lookup(key).isEmpty());
    assertTrue(a.lookup(key).isEmpty());
  }
}
