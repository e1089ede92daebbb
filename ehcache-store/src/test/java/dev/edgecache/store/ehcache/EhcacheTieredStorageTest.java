package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.SelfHealReason;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.StorageKey;
import java.io.File;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on heap, off-heap and disk tiers, and what only this store does. */
class EhcacheTieredStorageTest extends CacheStorageContract {
  @TempDir
  File disk;

  @Override
  protected CacheStorage newStorage() {
    return TieredStores.in(disk);
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 10));
    }
    return b;
  }

  @Test
  void aBodyLargerThanTheHeapTierRoundTripsThroughOffHeapAndDisk() throws Exception {
    EhcacheStorage store = EhcacheStorage.builder().heapEntries(10).heapChunks(2).offheapMb(1)
        .diskMb(64).diskDirectory(new File(disk, "big")).maxObjectSize(32L * 1024 * 1024).build();
    try (store) {
      byte[] body = pattern(20 * 1024 * 1024 + 17);
      StorageKey key = StorageKey.of(CacheKey.of("/big"));
      try (MissHandler m = store.openMiss(key, meta(-1))) {
        for (int off = 0; off < body.length; off += 100_000) {
          m.write(ByteBuffer.wrap(body, off, Math.min(100_000, body.length - off)));
        }
        m.finish();
      }
      assertArrayEquals(body, readAll(store.lookup(key).orElseThrow()));
    }
  }

  /**
   * A full store evicts chunk by chunk, and may evict a chunk as soon as it is put: the fill's own
   * client, which follows the write right behind it, must still get every byte the origin sent.
   */
  @Test
  void aFollowerRightBehindTheWriterGetsEveryByteThoughEachChunkIsEvictedAsSoonAsItIsPut() throws Exception {
    int chunk = EhcacheStorage.CHUNK_SIZE;
    // one chunk on heap and no other tier: each chunk put evicts the one before, whoever wrote it
    EhcacheStorage store = EhcacheStorage.builder().heapEntries(10).heapChunks(1).offheapMb(0)
        .maxObjectSize(1024 * 1024).build();
    try (store) {
      byte[] body = pattern(3 * chunk + 100);
      StorageKey key = StorageKey.of(CacheKey.of("/followed"));
      try (MissHandler m = store.openMiss(key, meta(-1));
          MissHandler other = store.openMiss(StorageKey.of(CacheKey.of("/other")), meta(-1))) {
        dev.edgecache.spi.HitHandler reader = store.lookupStreamingWrite(key, m.writeTag()).orElseThrow().openBody();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += chunk) {
          m.write(ByteBuffer.wrap(body, off, Math.min(chunk, body.length - off)));
          if (off + chunk >= body.length) {
            m.finish();
          }
          other.write(ByteBuffer.wrap(new byte[chunk])); // the other write's chunk evicts this one's
          for (ByteBuffer b; (b = reader.readNow()) != null && b.hasRemaining(); ) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            got.write(bytes);
          }
        }
        assertArrayEquals(body, got.toByteArray());
      }
    }
  }

  @Test
  void anObjectTheDiskTierCannotKeepWholeIsRefusedNotStoredAndLost() throws Exception {
    EhcacheStorage store = EhcacheStorage.builder().heapEntries(10).heapChunks(2).offheapMb(1)
        .diskMb(64).diskDirectory(new File(disk, "keepable")).maxObjectSize(64L * 1024 * 1024).build();
    try (store) {
      assertEquals(64L * 1024 * 1024 * 2 / 5, store.maxObjectSize(), "40% of the disk tier");
      StorageKey key = StorageKey.of(CacheKey.of("/too-big"));
      dev.edgecache.spi.ObjectMeta declared = meta(30L * 1024 * 1024);
      org.junit.jupiter.api.Assertions.assertThrows(dev.edgecache.spi.ObjectTooLargeException.class,
          () -> store.openMiss(key, declared));
      try (MissHandler m = store.openMiss(key, meta(-1))) {
        byte[] mib = new byte[1024 * 1024];
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
          for (int i = 0; i < 30; i++) {
            m.write(ByteBuffer.wrap(mib)); // no declared length: refused once past the limit
          }
        });
      }
      assertTrue(store.lookup(key).isEmpty());
    }
  }

  @Test
  void aChunkEvictedUnderTheRecordIsDetectedAndTheObjectDropped() throws Exception {
    EhcacheStorage store = EhcacheStorage.builder().heapEntries(100).heapChunks(2).offheapMb(0)
        .maxObjectSize(1024 * 1024).build();
    List<SelfHealReason> healed = new ArrayList<>();
    try (EdgeCache cache = EdgeCache.builder().storage(store, true).listener(new CacheListener() {
      @Override
      public void selfHealed(CacheKey key, SelfHealReason reason) {
        healed.add(reason);
      }
    }).build()) {
      CacheKey key = CacheKey.of("/evicted");
      try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofMinutes(1)).build())) {
        sink.write(pattern(4 * EhcacheStorage.CHUNK_SIZE)); // four chunks; the heap keeps two
      }
      assertTrue(cache.lookup(key).isEmpty(), "never a truncated body");
      assertEquals(List.of(SelfHealReason.BODY_UNREADABLE), healed);
      try (CacheEntry e = cache.transactionLookup(key)) {
        assertTrue(e.has(LookupState.MUST_INSERT_OR_UPDATE));
      }
    }
  }

  @Test
  void theCoreCollapsesAndStreamsOnThisStore() throws Exception {
    EhcacheStorage store = EhcacheStorage.builder().offheapMb(16).maxObjectSize(4 * 1024 * 1024).build();
    try (EdgeCache cache = EdgeCache.builder().storage(store, true).build()) {
      CacheKey key = CacheKey.of("/stream");
      CacheEntry owner = cache.transactionLookup(key);
      CompletableFuture<CacheEntry> waiter = cache.transactionLookupNowOrLater(key, dev.edgecache.LookupOptions.DEFAULT).toCompletableFuture();
      BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).build());
      byte[] body = pattern(3 * EhcacheStorage.CHUNK_SIZE + 5);
      sink.write(body, 0, 10);
      InputStream in = waiter.get(10, TimeUnit.SECONDS).body();
      assertArrayEquals(java.util.Arrays.copyOf(body, 10), in.readNBytes(10), "bytes before the first full chunk");
      sink.write(body, 10, body.length - 10);
      sink.close();
      assertArrayEquals(java.util.Arrays.copyOfRange(body, 10, body.length), in.readAllBytes());
      assertArrayEquals(body, cache.lookup(key).orElseThrow().body().readAllBytes());
    }
  }

  @Test
  void sensitiveObjectsStayOffTheDisk() throws Exception {
    EhcacheStorage store = (EhcacheStorage) storage;
    StorageKey key = StorageKey.of(CacheKey.of("/secret"));
    dev.edgecache.spi.ObjectMeta sensitive = new dev.edgecache.spi.ObjectMeta(
        dev.edgecache.spi.ObjectMeta.Kind.OBJECT, System.currentTimeMillis(), 0, 60_000, 60_000, 0, 0, 0,
        -1, List.of(), java.util.Set.of(), new byte[0], true, 0, 0, -1);
    try (MissHandler m = store.openMiss(key, sensitive)) {
      m.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      m.finish();
    }
    assertTrue(store.lookup(key).orElseThrow().meta().sensitive());
    assertTrue(store.volatileHas(key), "kept in the caches without a disk tier");
    assertTrue(!store.persistentHas(key), "never in the caches with a disk tier");
  }
}
