package dev.edgecache.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link CacheStorage} must keep. A store's test extends this class and says
 * how to make a fresh, empty store; the suite ships in this module's test jar.
 */
public abstract class CacheStorageContract {
  protected CacheStorage storage;
  private final CacheKey primary = CacheKey.of("/contract");
  private final StorageKey key = StorageKey.of(primary);

  /** A new, empty store for one test. */
  protected abstract CacheStorage newStorage();

  @BeforeEach
  void open() {
    storage = newStorage();
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  protected static ObjectMeta meta(long length, String... tags) {
    long now = System.currentTimeMillis();
    return new ObjectMeta(ObjectMeta.Kind.OBJECT, now, 0, 60_000, 60_000, 0, 0, 0, length, List.of(),
        Set.of(tags), "meta".getBytes(StandardCharsets.UTF_8), false, 0, 0, -1);
  }

  protected static byte[] readAll(StoredObject o) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HitHandler h = o.openBody()) {
      ByteBuffer b;
      while ((b = h.read()) != null) {
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk);
      }
    }
    return out.toByteArray();
  }

  protected void put(StorageKey k, byte[] body, String... tags) throws IOException {
    try (MissHandler m = storage.openMiss(k, meta(-1, tags))) {
      m.write(ByteBuffer.wrap(body));
      m.finish();
    }
  }

  @Test
  void aFinishedWriteIsFoundWithItsMetadataAndBody() throws IOException {
    byte[] body = new byte[100_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    try (MissHandler m = storage.openMiss(key, meta(-1))) {
      assertTrue(storage.lookup(key).isEmpty(), "nothing is visible before finish");
      m.write(ByteBuffer.wrap(body, 0, 40_000));
      m.write(ByteBuffer.wrap(body, 40_000, 60_000));
      assertEquals(100_000, m.finish());
    }
    StoredObject o = storage.lookup(key).orElseThrow();
    assertTrue(o.complete());
    assertEquals(100_000, o.meta().length());
    assertArrayEquals("meta".getBytes(StandardCharsets.UTF_8), o.meta().userMetadata());
    assertArrayEquals(body, readAll(o));
  }

  @Test
  void anAbortedWriteLeavesNothingAndItsReadersFail() throws IOException {
    MissHandler m = storage.openMiss(key, meta(-1));
    m.write(ByteBuffer.wrap(new byte[10]));
    StoredObject partial = storage.lookupStreamingWrite(key, m.writeTag()).orElseThrow();
    HitHandler reader = partial.openBody();
    m.close();
    assertThrows(IOException.class, () -> {
      while (reader.read() != null) {
        // drain what was written, then the failure
      }
    });
    assertTrue(storage.lookup(key).isEmpty());
    assertTrue(storage.lookupStreamingWrite(key, m.writeTag()).isEmpty());
  }

  @Test
  void aPreviousObjectStaysReadableUntilTheNextWriteFinishes() throws IOException {
    put(key, "old".getBytes(StandardCharsets.UTF_8));
    MissHandler m = storage.openMiss(key, meta(-1));
    m.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), readAll(storage.lookup(key).orElseThrow()));
    m.finish();
    assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), readAll(storage.lookup(key).orElseThrow()));
  }

  @Test
  void aStreamingReaderFollowsTheWriter() throws Exception {
    if (!storage.supportsStreamingPartialWrite()) {
      return;
    }
    MissHandler m = storage.openMiss(key, meta(-1));
    StoredObject o = storage.lookupStreamingWrite(key, m.writeTag()).orElseThrow();
    assertFalse(o.complete());
    HitHandler reader = o.openBody();
    m.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(3, reader.read().remaining()));
    CompletableFuture<ByteBuffer> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return reader.read();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(50);
    assertFalse(blocked.isDone(), "a reader waits for the writer");
    m.write(ByteBuffer.wrap(new byte[] {4}));
    assertEquals(1, blocked.get(10, TimeUnit.SECONDS).remaining());
    m.finish();
    assertEquals(null, reader.read());
    // after the commit, the tag finds the complete object, and another write's tag does not
    assertTrue(storage.lookupStreamingWrite(key, m.writeTag()).orElseThrow().complete());
    MissHandler other = storage.openMiss(key, meta(-1));
    assertNotEquals(ByteBuffer.wrap(m.writeTag()), ByteBuffer.wrap(other.writeTag()));
    other.close();
  }

  @Test
  void aNonBlockingReaderIsToldWhenTheWriterMovesOn() throws Exception {
    if (!storage.supportsStreamingPartialWrite()) {
      return;
    }
    MissHandler m = storage.openMiss(key, meta(-1));
    HitHandler reader = storage.lookupStreamingWrite(key, m.writeTag()).orElseThrow().openBody();
    if (!reader.followsWithoutWaiting()) {
      m.close();
      return; // the cache reads such a store ahead on threads of its own
    }
    assertEquals(0, reader.readNow().remaining(), "nothing written yet: an empty buffer, no wait");
    java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
    reader.whenReadable(told::countDown);
    assertEquals(1, told.getCount(), "not told before the writer moves");
    m.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertTrue(told.await(10, TimeUnit.SECONDS), "told when the writer wrote");
    assertEquals(3, reader.readNow().remaining());
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    reader.whenReadable(ended::countDown);
    m.finish();
    assertTrue(ended.await(10, TimeUnit.SECONDS), "told when the writer finished");
    assertEquals(null, reader.readNow());
    // a failed write is news too: the reader learns it from its next read
    StorageKey other = StorageKey.of(dev.edgecache.CacheKey.of("/contract-abort"));
    MissHandler failing = storage.openMiss(other, meta(-1));
    HitHandler second = storage.lookupStreamingWrite(other, failing.writeTag()).orElseThrow().openBody();
    java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
    second.whenReadable(failed::countDown);
    failing.close();
    assertTrue(failed.await(10, TimeUnit.SECONDS), "told when the write failed");
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class, second::readNow);
  }

  @Test
  void aSeekReadsARange() throws IOException {
    byte[] body = new byte[50_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i % 251);
    }
    put(key, body);
    HitHandler h = storage.lookup(key).orElseThrow().openBody();
    if (!h.canSeek()) {
      return;
    }
    h.seek(20_000, 20_010);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b;
    while ((b = h.read()) != null) {
      byte[] c = new byte[b.remaining()];
      b.get(c);
      out.write(c);
    }
    assertArrayEquals(java.util.Arrays.copyOfRange(body, 20_000, 20_010), out.toByteArray());
  }

  @Test
  void updateMetaKeepsTheBody() throws IOException {
    put(key, "body".getBytes(StandardCharsets.UTF_8));
    long purgedAt = System.currentTimeMillis() + 10_000;
    ObjectMeta fresh = meta(999).withSoftPurge(purgedAt, 0, 7);
    assertTrue(storage.updateMeta(key, storage.lookup(key).orElseThrow(), fresh));
    StoredObject o = storage.lookup(key).orElseThrow();
    assertEquals(purgedAt, o.meta().softPurgedAtMillis());
    assertEquals(7, o.meta().generation());
    assertEquals(4, o.meta().length(), "the stored length stays");
    assertArrayEquals("body".getBytes(StandardCharsets.UTF_8), readAll(o));
    assertFalse(storage.updateMeta(StorageKey.of(CacheKey.of("/absent")), o, fresh));
  }

  @Test
  void updateMetaChangesOnlyTheObjectItNames() throws IOException {
    put(key, "first".getBytes(StandardCharsets.UTF_8));
    StoredObject first = storage.lookup(key).orElseThrow();
    put(key, "second".getBytes(StandardCharsets.UTF_8));
    StoredObject second = storage.lookup(key).orElseThrow();
    assertNotEquals(first.writeId(), second.writeId(), "two writes, two ids");
    ObjectMeta madeFromTheFirst = meta(999).withSoftPurge(System.currentTimeMillis(), 0, 7);
    assertFalse(storage.updateMeta(key, first, madeFromTheFirst), "the first object is no longer stored");
    StoredObject o = storage.lookup(key).orElseThrow();
    assertEquals(second.writeId(), o.writeId());
    assertEquals(-1, o.meta().softPurgedAtMillis(), "the second object's meta is untouched");
    assertEquals(second.meta().generation(), o.meta().generation());
    assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), readAll(o));
    assertTrue(storage.updateMeta(key, o, madeFromTheFirst.withSoftPurge(System.currentTimeMillis(), 0, 8)));
    storage.purge(key, PurgeReason.INVALIDATION);
    assertFalse(storage.updateMeta(key, o, madeFromTheFirst), "purged");
  }

  @Test
  void purgesByKeyAndByPrimaryReachEveryVariant() throws IOException {
    StorageKey v1 = StorageKey.of(primary, new byte[] {1});
    StorageKey v2 = StorageKey.of(primary, new byte[] {2});
    put(key, new byte[1]);
    put(v1, new byte[1]);
    put(v2, new byte[1]);
    assertEquals(Set.of(key, v1, v2), storage.keysOf(primary));
    assertTrue(storage.purge(v1, PurgeReason.INVALIDATION));
    assertFalse(storage.purge(v1, PurgeReason.INVALIDATION));
    assertEquals(2, storage.purgeAll(primary, PurgeReason.INVALIDATION));
    assertTrue(storage.lookup(key).isEmpty());
    assertTrue(storage.lookup(v2).isEmpty());
    assertTrue(storage.keysOf(primary).isEmpty());
  }

  @Test
  void hitsAreCountedPerObject() throws IOException {
    put(key, new byte[1]);
    StoredObject o = storage.lookup(key).orElseThrow();
    assertEquals(0, o.hits());
    assertEquals(1, o.recordHit());
    assertEquals(2, storage.lookup(key).orElseThrow().recordHit());
  }

  @Test
  void clearRemovesEverything() throws IOException {
    put(key, new byte[1], "t");
    put(StorageKey.of(CacheKey.of("/b")), new byte[1]);
    storage.clear();
    assertTrue(storage.lookup(key).isEmpty());
    assertTrue(storage.lookup(StorageKey.of(CacheKey.of("/b"))).isEmpty());
  }

  @Test
  void theSurrogateKeyIndexKnowsTaggedKeysFromTheStartOfTheirWrite() throws IOException {
    MissHandler m = storage.openMiss(key, meta(-1, "red", "blue"));
    assertEquals(Set.of(primary), storage.surrogateKeys().keys("red"), "a fill in progress is tagged");
    m.finish();
    put(StorageKey.of(CacheKey.of("/other")), new byte[1], "red");
    assertEquals(Set.of(primary, CacheKey.of("/other")), storage.surrogateKeys().take("red"));
    assertTrue(storage.surrogateKeys().keys("red").isEmpty());
    assertEquals(Set.of(primary), storage.surrogateKeys().keys("blue"));
  }

  @Test
  void generationBumpsLoseNoIncrement() throws Exception {
    long before = storage.generations().stamp(primary);
    assertTrue(before >= 0, "a stamp is never negative");
    assertEquals(before, storage.generations().current(primary), "a stamp is the current generation");
    int threads = 4;
    int perThread = 100; // every increment of a clustered store is a contended round trip
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          storage.generations().bump(primary);
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(50, TimeUnit.SECONDS));
    assertEquals(before + threads * perThread, storage.generations().current(primary));
    long epoch = storage.generations().epoch();
    assertEquals(epoch + 1, storage.generations().bumpEpoch());
  }

  @Test
  void purgeScopesLoseNoPurgeAndObjectsKeepTheirStamps() throws Exception {
    Generations g = storage.generations();
    long serial = g.scopeSerial();
    assertEquals(serial + 1, g.bumpScopeSerial());
    assertEquals(serial + 1, g.scopeSerial());
    ScopeState start = g.stampScope("contract-scope");
    assertEquals(start, g.scope("contract-scope"), "a stamp is the current state");
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      boolean soft = t % 2 == 0;
      pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          g.purgeScope("contract-scope", soft, 1_000 + i);
        }
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(50, TimeUnit.SECONDS));
    ScopeState after = g.scope("contract-scope");
    assertEquals(start.generation() + threads * perThread, after.generation());
    assertTrue(after.purges(start.generation()), "hard purges came after the stamp");
    ScopeState soft = g.purgeScope("contract-scope", true, 5_000);
    assertTrue(soft.softPurges(after.generation()));
    assertEquals(5_000, soft.softPurgedAt(after.generation(), 0));
    assertTrue(g.purgeScope("contract-scope", false, 6_000).purges(soft.generation()));

    ObjectMeta m = meta(-1).withScopes(serial, java.util.Map.of("contract-scope", 7L, "other", 9L));
    try (MissHandler miss = storage.openMiss(key, m)) {
      miss.write(ByteBuffer.wrap(new byte[] {1}));
      miss.finish();
    }
    ObjectMeta read = storage.lookup(key).orElseThrow().meta();
    assertEquals(serial, read.scopeSerial());
    assertEquals(java.util.Map.of("contract-scope", 7L, "other", 9L), read.scopeStamps());
  }

  @Test
  void aLockHasOneHolderAtATime() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger granted = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      pool.submit(() -> {
        start.await();
        if (storage.locks().tryAcquire(key, Duration.ofSeconds(30)).isPresent()) {
          granted.incrementAndGet();
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(1, granted.get());
  }

  @Test
  void onlyTheHolderReleasesAndAnExpiredLeaseIsTakenOver() throws Exception {
    // A lease long enough for a round trip or two to a clustered store, short enough to wait out.
    LockLease first = storage.locks().tryAcquire(key, Duration.ofMillis(1500)).orElseThrow();
    assertTrue(storage.locks().tryAcquire(key, Duration.ofSeconds(30)).isEmpty());
    assertFalse(storage.locks().release(new LockLease(key, "forged")));
    CompletableFuture<Void> change = storage.locks().onChange(key).toCompletableFuture();
    assertTrue(storage.locks().publishWriteTag(first, new byte[] {9}));
    change.get(10, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {9}, storage.locks().holder(key).orElseThrow().writeTag());
    Thread.sleep(1700);
    LockLease second = storage.locks().tryAcquire(key, Duration.ofSeconds(30)).orElseThrow();
    assertFalse(storage.locks().renew(first, Duration.ofSeconds(30)), "a lost lease cannot be renewed");
    assertFalse(storage.locks().release(first), "nor release its successor's lock");
    assertTrue(storage.locks().renew(second, Duration.ofSeconds(30)));
    CompletableFuture<Void> released = storage.locks().onChange(key).toCompletableFuture();
    assertTrue(storage.locks().release(second));
    released.get(10, TimeUnit.SECONDS);
    assertTrue(storage.locks().holder(key).isEmpty());
    assertTrue(storage.locks().onChange(key).toCompletableFuture().isDone(), "a free key's change is now");
  }

  @Test
  void anObjectOverTheMaximumSizeIsRefused() throws IOException {
    long max = storage.maxObjectSize();
    if (max >= Integer.MAX_VALUE) {
      return;
    }
    assertThrows(ObjectTooLargeException.class, () -> storage.openMiss(key, meta(max + 1)));
    MissHandler m = storage.openMiss(key, meta(-1));
    m.write(ByteBuffer.wrap(new byte[(int) max]));
    assertThrows(ObjectTooLargeException.class, () -> m.write(ByteBuffer.wrap(new byte[1])));
    assertThrows(IOException.class, m::finish);
    assertTrue(storage.lookup(key).isEmpty());
  }
}
