package dev.edgecache.bench;

import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.Insertion;
import dev.edgecache.WriteOptions;
import dev.edgecache.store.memory.MemoryStorage;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming: insert-and-stream-back of a 256 MiB object in 64 KiB chunks, with one reader
 * following the writer on another thread. One operation moves 256 MiB; GB/s = 0.268 / (seconds
 * per operation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class StreamingBenchmark {
  static final int CHUNK = 64 * 1024;
  static final long SIZE = 256L * 1024 * 1024;
  private static final byte[] CHUNK_BYTES = new byte[CHUNK];

  private EdgeCache cache;
  private final AtomicLong keys = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    cache = EdgeCache.builder()
        .storage(MemoryStorage.builder().capacityBytes(600L * 1024 * 1024)
            .maxObjectSize(SIZE).build(), true)
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
  }

  @Benchmark
  public long insertAndStreamBack() throws Exception {
    CacheKey key = CacheKey.of("/bench/stream/" + keys.incrementAndGet());
    try (CacheEntry owner = cache.transactionLookup(key)) {
      Insertion insertion = owner.insertAndStreamBack(WriteOptions.builder(Duration.ofMinutes(1)).build());
      CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
        byte[] buf = new byte[CHUNK];
        long n = 0;
        try (InputStream in = insertion.entry().body()) {
          int r;
          while ((r = in.read(buf)) > 0) {
            n += r;
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return n;
      });
      try (var sink = insertion.body()) {
        for (long written = 0; written < SIZE; written += CHUNK) {
          sink.write(CHUNK_BYTES);
        }
      }
      long read = reader.get(120, TimeUnit.SECONDS);
      if (read != SIZE) {
        throw new IllegalStateException("the reader got " + read + " bytes");
      }
      // drop the object so that each operation writes into free space
      cache.purge(key);
      return read;
    }
  }
}
