package dev.edgecache.bench;

import dev.edgecache.BodyChunks;
import dev.edgecache.BodyRange;
import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A hit: a transaction lookup plus a full read of an object of 4 KiB, 64 KiB or 1 MiB from the
 * in-memory store, against the floor of reading the same bytes out of a
 * {@code ConcurrentHashMap<String, byte[]>}. {@code edgeCacheHit} and the map copy the body into
 * the same buffer; {@code edgeCacheHitChunks} takes the stored chunks as the filter writes them
 * to a client, without a copy. Run with {@code -prof gc} for the bytes each hit allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HitBenchmark {
  @Param({"4096", "65536", "1048576"})
  public int size;
  private EdgeCache cache;
  private final CacheKey key = CacheKey.of("/bench/hit");
  private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();

  @State(Scope.Thread)
  public static class Buffer {
    byte[] bytes;

    @Setup(Level.Trial)
    public void setUp(HitBenchmark b) {
      bytes = new byte[b.size];
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    cache = EdgeCache.builder().build();
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) i;
    }
    try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofDays(1)).length(size).build())) {
      sink.write(body);
    }
    map.put("/bench/hit", body.clone());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
  }

  @Benchmark
  public int edgeCacheHit(Buffer buffer) throws IOException {
    try (CacheEntry entry = cache.transactionLookup(key); InputStream in = entry.body()) {
      return in.readNBytes(buffer.bytes, 0, size);
    }
  }

  @Benchmark
  public long edgeCacheHitChunks(Blackhole bh) throws IOException {
    long n = 0;
    try (CacheEntry entry = cache.transactionLookup(key); BodyChunks chunks = entry.bodyChunks(BodyRange.all())) {
      for (ByteBuffer c = chunks.next(); c != null; c = chunks.next()) {
        bh.consume(c);
        n += c.remaining();
      }
    }
    return n;
  }

  @Benchmark
  public int concurrentHashMapRead(Buffer buffer, Blackhole bh) {
    byte[] body = map.get("/bench/hit");
    System.arraycopy(body, 0, buffer.bytes, 0, body.length);
    bh.consume(buffer.bytes);
    return body.length;
  }
}
