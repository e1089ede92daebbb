package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on the clustered tier of a real Terracotta server, and two nodes (two
 * CacheManagers) sharing it: one owner for a cold key across both, purges seen at once.
 */
class EhcacheClusteredStorageTest extends CacheStorageContract {
  private static final AtomicInteger ENTITIES = new AtomicInteger();

  static EhcacheStorage node(URI uri) {
    return EhcacheStorage.builder().cluster(uri).clusterMb(4).heapEntries(100).heapChunks(8)
        .offheapMb(0).maxObjectSize(1024 * 1024).build();
  }

  /**
   * A node on the shared server's entity {@code name}, emptied of objects: one entity for all the
   * tests of a class, so that they do not each reserve the server's pools for the rest of the run.
   */
  static EhcacheStorage emptiedNode(String name) {
    try {
      EhcacheStorage storage = node(TerracottaServer.shared().uri(name));
      storage.clear();
      return storage;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected CacheStorage newStorage() {
    try {
      return node(TerracottaServer.shared().uri("contract-" + ENTITIES.incrementAndGet()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void oneOwnerAcrossTwoNodesAndPurgesSeenAtOnce() throws Exception {
    URI uri = TerracottaServer.shared().uri("two-nodes-" + ENTITIES.incrementAndGet());
    try (EdgeCache a = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build();
         EdgeCache b = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build()) {
      CacheKey key = CacheKey.of("/cluster/cold");
      int callers = 16;
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger owners = new AtomicInteger();
      List<Future<String>> bodies = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        EdgeCache node = i % 2 == 0 ? a : b;
        bodies.add(pool.submit(() -> {
          start.await();
          try (CacheEntry e = node.transactionLookup(key)) {
            if (e.has(LookupState.MUST_INSERT_OR_UPDATE)) {
              owners.incrementAndGet();
              Thread.sleep(300);
              try (BodySink sink = e.insert(WriteOptions.builder(Duration.ofMinutes(1)).build())) {
                sink.write("once".getBytes(StandardCharsets.UTF_8));
              }
              return "once";
            }
            return new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
          }
        }));
      }
      start.countDown();
      for (Future<String> body : bodies) {
        assertEquals("once", body.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertEquals(1, owners.get(), "one origin fill for the whole cluster");
      assertTrue(b.lookup(key).isPresent());
      a.purge(key);
      assertTrue(b.lookup(key).isEmpty(), "a purge on one node is a purge on the other");
    }
  }

  @Test
  void aWaiterOnTheOtherNodeStreamsTheOwnersChunksAsTheyAreWritten() throws Exception {
    URI uri = TerracottaServer.shared().uri("streaming-" + ENTITIES.incrementAndGet());
    try (EdgeCache a = EdgeCache.builder().storage(node(uri), true).build();
         EdgeCache b = EdgeCache.builder().storage(node(uri), true).build()) {
      CacheKey key = CacheKey.of("/cluster/stream");
      byte[] body = new byte[2 * EhcacheStorage.CHUNK_SIZE + 100];
      new java.util.Random(7).nextBytes(body);
      CacheEntry owner = a.transactionLookup(key);
      java.util.concurrent.CompletableFuture<CacheEntry> remote =
          b.transactionLookupNowOrLater(key, dev.edgecache.LookupOptions.DEFAULT).toCompletableFuture();
      BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(1)).build());
      sink.write(body, 0, 2 * EhcacheStorage.CHUNK_SIZE);
      java.io.InputStream in = remote.get(30, TimeUnit.SECONDS).body();
      byte[] firstTwo = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> in.readNBytes(2 * EhcacheStorage.CHUNK_SIZE));
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          java.util.Arrays.copyOf(body, 2 * EhcacheStorage.CHUNK_SIZE), firstTwo,
          "the chunks written so far reach the other node before the owner finishes");
      sink.write(body, 2 * EhcacheStorage.CHUNK_SIZE, 100);
      sink.close();
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          java.util.Arrays.copyOfRange(body, 2 * EhcacheStorage.CHUNK_SIZE, body.length), in.readAllBytes());
      owner.close();
    }
  }

  @Test
  void aCrashedOwnersLockIsTakenOverByAnotherNodeAfterItsLease() throws Exception {
    URI uri = TerracottaServer.shared().uri("takeover-" + ENTITIES.incrementAndGet());
    CacheKey key = CacheKey.of("/cluster/crashed");
    EdgeCache crashed = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build();
    try (EdgeCache survivor = EdgeCache.builder().storage(node(uri), true).lockTimeout(Duration.ofSeconds(2)).build()) {
      assertTrue(crashed.transactionLookup(key).has(LookupState.MUST_INSERT_OR_UPDATE));
      crashed.close(); // gone without releasing its lock, as a node that died
      long start = System.nanoTime();
      try (CacheEntry next = survivor.transactionLookupNowOrLater(key, dev.edgecache.LookupOptions.DEFAULT)
          .toCompletableFuture().get(30, TimeUnit.SECONDS)) {
        assertTrue(next.has(LookupState.MUST_INSERT_OR_UPDATE), "the key is taken over after the lease");
      }
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
    }
  }

  @Test
  void aReaderOfAWriteWhoseWriterGaveTheKeyUpFailsWithoutWaitingOutTheStallLimit() throws Exception {
    URI uri = TerracottaServer.shared().uri("gone-writer-" + ENTITIES.incrementAndGet());
    try (EhcacheStorage writerNode = node(uri); EhcacheStorage readerNode = node(uri)) {
      dev.edgecache.spi.StorageKey key = dev.edgecache.spi.StorageKey.of(CacheKey.of("/cluster/gone-writer"));
      dev.edgecache.spi.LockLease lease = writerNode.locks().tryAcquire(key, Duration.ofMinutes(1)).orElseThrow();
      dev.edgecache.spi.MissHandler miss = writerNode.openMiss(key, meta(-1));
      assertTrue(writerNode.locks().publishWriteTag(lease, miss.writeTag()));
      byte[] chunk = new byte[EhcacheStorage.CHUNK_SIZE];
      miss.write(java.nio.ByteBuffer.wrap(chunk));
      dev.edgecache.spi.HitHandler reader = readerNode.lookupStreamingWrite(key, miss.writeTag()).orElseThrow().openBody();
      assertEquals(EhcacheStorage.CHUNK_SIZE, reader.read().remaining());

      // A pause longer than the follower's look at the lock, while the lock names the write: the
      // reader waits, and gets the next chunk once it comes.
      long looked = readerNode.remoteWrites().writersFoundAlive();
      Future<java.nio.ByteBuffer> next = Executors.newSingleThreadExecutor().submit(reader::read);
      // the reader looks at the writer's lock twice during the pause, however slow the machine
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (readerNode.remoteWrites().writersFoundAlive() < looked + 2 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertTrue(readerNode.remoteWrites().writersFoundAlive() >= looked + 2, "the reader looked at the writer");
      assertTrue(!next.isDone(), "a live writer's pause fails nobody");
      miss.write(java.nio.ByteBuffer.wrap(chunk));
      assertEquals(EhcacheStorage.CHUNK_SIZE, next.get(30, TimeUnit.SECONDS).remaining());

      // The writer gives the key up without committing or removing its progress (its tier failed
      // under it, say): the reader fails within seconds, not after the stall limit of a minute.
      assertTrue(writerNode.locks().release(lease));
      long start = System.nanoTime();
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, reader::read);
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(RemoteWrites.STALL_MILLIS / 2),
          "failed long before the stall limit");
      reader.close();
      miss.close();
    }
  }
}
