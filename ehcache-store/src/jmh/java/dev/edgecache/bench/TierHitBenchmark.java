package dev.edgecache.bench;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.ehcache.EhcacheStorage;
import dev.edgecache.store.ehcache.TerracottaServer;
import dev.edgecache.store.memory.MemoryStorage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hit read throughput: a transaction lookup plus a full read of one object, from the in-memory
 * store and from the Ehcache store with the object on its heap, off-heap or disk tier (each
 * arranged by giving the store only that tier, or none above it), and from the clustered tier of
 * a Terracotta server on loopback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TierHitBenchmark {
  @Param({"4096", "1048576"})
  public int size;

  @Param({"memory", "ehcache-heap", "ehcache-offheap", "ehcache-disk", "ehcache-cluster"})
  public String store;

  private EdgeCache cache;
  private File disk;
  private final CacheKey key = CacheKey.of("/bench/tier");
  private byte[] buffer;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    disk = Files.createTempDirectory("tier-bench").toFile();
    CacheStorage storage = switch (store) {
      case "memory" -> MemoryStorage.builder().build();
      // heap large enough to hold every chunk of the object
      case "ehcache-heap" -> EhcacheStorage.builder().heapChunks(64).offheapMb(0).build();
      // one chunk on heap: the others are read from off-heap
      case "ehcache-offheap" -> EhcacheStorage.builder().heapChunks(1).offheapMb(64).build();
      // one chunk on heap, 1 MiB off-heap caching tier: the rest from disk
      case "ehcache-disk" -> EhcacheStorage.builder().heapChunks(1).offheapMb(1).diskMb(256)
          .diskDirectory(disk).build();
      // one chunk on heap: the others are read from the clustered tier of a Terracotta server on
      // loopback, started from the kit that the build unpacks
      case "ehcache-cluster" -> EhcacheStorage.builder().heapChunks(1).offheapMb(0)
          .cluster(TerracottaServer.shared().uri("tier-bench-" + size)).build();
      default -> throw new IllegalArgumentException(store);
    };
    cache = EdgeCache.builder().storage(storage, true).build();
    byte[] body = new byte[size];
    try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofDays(1)).build())) {
      sink.write(body);
    }
    buffer = new byte[64 * 1024];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
  }

  @Benchmark
  public long hit() throws IOException {
    long n = 0;
    try (CacheEntry entry = cache.transactionLookup(key); InputStream in = entry.body()) {
      int r;
      while ((r = in.read(buffer)) > 0) {
        n += r;
      }
    }
    if (n != size) {
      throw new IllegalStateException("read " + n + " of " + size);
    }
    return n;
  }
}
