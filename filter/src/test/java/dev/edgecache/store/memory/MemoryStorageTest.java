package dev.edgecache.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.MutableClock;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StorageKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The storage contract on the in-memory store, and what is particular to it. */
class MemoryStorageTest extends CacheStorageContract {
  @Override
  protected CacheStorage newStorage() {
    return MemoryStorage.builder().capacityBytes(64L * 1024 * 1024).maxObjectSize(1024 * 1024).build();
  }

  @Test
  void purgesOfKeysWithNothingStoredLeaveNothingBehind() throws IOException {
    MemoryStorage storage = (MemoryStorage) newStorage();
    try (dev.edgecache.EdgeCache cache = dev.edgecache.EdgeCache.builder().storage(storage, true).build()) {
      for (int i = 0; i < 3000; i++) {
        cache.purge(CacheKey.of("/posted/" + i)); // what a POST to a fresh URL does
      }
      assertEquals(0, storage.generationCounters());
      try (dev.edgecache.BodySink body = cache.insert(CacheKey.of("/kept"),
          dev.edgecache.WriteOptions.builder(Duration.ofMinutes(1)).build())) {
        body.write(new byte[] {1, 2, 3});
      }
      assertTrue(cache.purge(CacheKey.of("/kept")));
      assertEquals(1, storage.generationCounters(), "a key that held an object is bumped");
      // a fill under way is guarded even though nothing is stored yet
      try (dev.edgecache.CacheEntry owner = cache.transactionLookup(CacheKey.of("/filling"))) {
        cache.purge(CacheKey.of("/filling"));
        assertEquals(2, storage.generationCounters());
        try (dev.edgecache.BodySink body = owner.insert(dev.edgecache.WriteOptions.builder(Duration.ofMinutes(1)).build())) {
          body.write(new byte[] {1});
        }
      }
      assertTrue(cache.lookup(CacheKey.of("/filling")).isEmpty(), "the purge during the fill holds");
    }
  }

  @Test
  void staysWithinItsCapacityByEvictingTheLeastRecentlyUsed() throws IOException {
    MemoryStorage small = MemoryStorage.builder().capacityBytes(1024 * 1024).maxObjectSize(64 * 1024).build();
    StorageKey hot = StorageKey.of(CacheKey.of("/hot"));
    write(small, hot, 60_000);
    for (int i = 0; i < 200; i++) {
      write(small, StorageKey.of(CacheKey.of("/cold/" + i)), 60_000);
      small.lookup(hot); // keep it recently used
      assertTrue(small.bytesUsed() <= 1024 * 1024 + 64 * 1024, "over capacity: " + small.bytesUsed());
    }
    assertTrue(small.lookup(hot).isPresent(), "the recently used object stays");
    assertTrue(small.lookup(StorageKey.of(CacheKey.of("/cold/0"))).isEmpty(), "the oldest went");
    assertTrue(small.size() < 20);
  }

  @Test
  void dropsObjectsPastTheirLastUsableMoment() throws IOException {
    MutableClock clock = new MutableClock();
    MemoryStorage store = MemoryStorage.builder().clock(clock).build();
    StorageKey k = StorageKey.of(CacheKey.of("/ttl"));
    try (MissHandler m = store.openMiss(k, new ObjectMeta(ObjectMeta.Kind.OBJECT, clock.millis(), 0,
        1000, 1000, 500, 2000, 0, -1, List.of(), Set.of(), new byte[0], false, 0, 0, -1))) {
      m.finish();
    }
    clock.advance(Duration.ofMillis(2999));
    assertTrue(store.lookup(k).isPresent(), "still usable if error");
    clock.advance(Duration.ofMillis(1));
    assertTrue(store.lookup(k).isEmpty());
    assertEquals(0, store.size());
  }

  @Test
  void abortedAndPurgedWritesGiveTheirBytesBack() throws IOException {
    MemoryStorage store = MemoryStorage.builder().build();
    StorageKey k = StorageKey.of(CacheKey.of("/bytes"));
    MissHandler m = store.openMiss(k, meta(-1));
    m.write(ByteBuffer.wrap(new byte[100_000]));
    m.close();
    assertEquals(0, store.bytesUsed());
    write(store, k, 100_000);
    store.purge(k, dev.edgecache.spi.PurgeReason.INVALIDATION);
    assertEquals(0, store.bytesUsed());
  }

  /**
   * Many small objects cost about their own bytes, not a whole block each: a store counted in
   * blocks would fill its heap with thousands of tiny pages that its capacity says are few.
   */
  @Test
  void smallBodiesHoldTheirOwnBytesNotAWholeBlock() throws IOException {
    MemoryStorage store = MemoryStorage.builder().capacityBytes(64L * 1024 * 1024).build();
    for (int i = 0; i < 1000; i++) {
      write(store, StorageKey.of(CacheKey.of("/small/" + i)), 300);
    }
    long perObject = store.bytesUsed() / 1000;
    assertTrue(perObject > 300 && perObject < 2048, "bytes counted per 300-byte object: " + perObject);
    StorageKey k = StorageKey.of(CacheKey.of("/small/7"));
    assertEquals(300, store.lookup(k).orElseThrow().meta().length());
  }

  /**
   * A hit is written to the client a chunk at a time: a body of a declared length up to the
   * largest block is one chunk, and a larger or undeclared one a few large chunks, not one per
   * 16 KiB. Every byte still reads back in order, whole and by ranges across block bounds.
   */
  @Test
  void bodiesAreReadInFewLargeChunksWithEveryByteInPlace() throws IOException {
    MemoryStorage store = MemoryStorage.builder().capacityBytes(64L * 1024 * 1024)
        .maxObjectSize(8 * 1024 * 1024).build();
    int[] sizes = {1, 4096, Body.MIN_BLOCK + 1, 65_536, Body.MAX_BLOCK, Body.MAX_BLOCK + 7, 1_048_576, 3_000_001};
    for (boolean declared : new boolean[] {true, false}) {
      for (int size : sizes) {
        StorageKey k = StorageKey.of(CacheKey.of("/chunks/" + declared + "/" + size));
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
          body[i] = (byte) (i * 31 + i / 251);
        }
        try (MissHandler m = store.openMiss(k, meta(declared ? size : -1))) {
          for (int at = 0; at < size; at += 10_000) { // the origin's pieces: not block-sized
            m.write(ByteBuffer.wrap(body, at, Math.min(10_000, size - at)));
          }
          m.finish();
        }
        var object = store.lookup(k).orElseThrow();
        List<ByteBuffer> chunks = new java.util.ArrayList<>();
        try (var h = object.openBody()) {
          for (ByteBuffer c = h.read(); c != null; c = h.read()) {
            chunks.add(c);
          }
        }
        int most = declared ? (size + Body.MAX_BLOCK - 1) / Body.MAX_BLOCK
            : 2 + (size + Body.MAX_BLOCK - 1) / Body.MAX_BLOCK + 5;
        assertTrue(chunks.size() <= most, size + " bytes (declared " + declared + ") in " + chunks.size() + " chunks");
        ByteBuffer whole = ByteBuffer.allocate(size);
        chunks.forEach(c -> whole.put(c.duplicate()));
        assertTrue(java.util.Arrays.equals(body, whole.array()), "the bytes of " + size);
        for (long[] r : new long[][] {{0, 1}, {Body.MIN_BLOCK - 1, Body.MIN_BLOCK + 2}, {size / 3, size}, {size - 1, -1}}) {
          if (r[0] >= size || r[1] > size || (r[1] >= 0 && r[1] <= r[0])) {
            continue;
          }
          try (var h = object.openBody()) {
            h.seek(r[0], r[1]);
            ByteBuffer got = ByteBuffer.allocate((int) ((r[1] < 0 ? size : r[1]) - r[0]));
            for (ByteBuffer c = h.read(); c != null; c = h.read()) {
              got.put(c);
            }
            assertEquals(ByteBuffer.wrap(body, (int) r[0], got.capacity()), got.flip(),
                "bytes " + r[0] + " to " + r[1] + " of " + size);
          }
        }
      }
    }
  }

  @Test
  void expiredRecordsNobodyAsksForAgainAreSweptAway() throws IOException {
    MutableClock clock = new MutableClock();
    MemoryStorage store = MemoryStorage.builder().clock(clock).build();
    for (int i = 0; i < 100; i++) {
      try (MissHandler m = store.openMiss(StorageKey.of(CacheKey.of("/marker/" + i)), new ObjectMeta(
          ObjectMeta.Kind.NOT_CACHEABLE, clock.millis(), 0, 1000, 1000, 0, 0, 0, -1, List.of(), Set.of(),
          new byte[0], false, 0, 0, -1))) {
        m.finish();
      }
    }
    assertEquals(100, store.size());
    clock.advance(Duration.ofMillis(MemoryStorage.SWEEP_INTERVAL_MILLIS));
    write(store, StorageKey.of(CacheKey.of("/later")), 10); // a commit runs the sweep
    assertEquals(1, store.size(), "the expired markers were swept");
  }

  @Test
  void theDefaultCapacityLeavesMostOfTheHeapToTheRequests() {
    long heap = Runtime.getRuntime().maxMemory();
    long capacity = MemoryStorage.defaultCapacityBytes();
    assertTrue(capacity <= Math.max(16L << 20, heap / 4), capacity + " of a heap of " + heap);
    assertTrue(capacity >= 16L << 20 && capacity <= 256L << 20, Long.toString(capacity));
    assertEquals(Math.min(16L << 20, 2L << 20), MemoryStorage.defaultMaxObjectSize(2L << 20));
    MemoryStorage.builder().capacityBytes(2L << 20).build(); // the default max object follows the capacity
  }

  @Test
  void rejectsABadConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> MemoryStorage.builder().capacityBytes(10));
    assertThrows(IllegalArgumentException.class,
        () -> MemoryStorage.builder().capacityBytes(1024 * 1024).maxObjectSize(2 * 1024 * 1024).build());
  }

  private static void write(MemoryStorage store, StorageKey k, int size) throws IOException {
    try (MissHandler m = store.openMiss(k, meta(-1))) {
      m.write(ByteBuffer.wrap(new byte[size]));
      m.finish();
    }
  }
}
