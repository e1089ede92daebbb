package dev.edgecache.bench;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A hit: a transaction lookup plus a full read of a 4 KiB object from the in-memory store, against
 * the floor of reading the same bytes out of a {@code ConcurrentHashMap<String, byte[]>}. Both
 * copy the body into the same buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HitBenchmark {
  private static final int SIZE = 4096;
  private EdgeCache cache;
  private final CacheKey key = CacheKey.of("/bench/hit");
  private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();

  @State(Scope.Thread)
  public static class Buffer {
    final byte[] bytes = new byte[SIZE];
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    cache = EdgeCache.builder().build();
    byte[] body = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      body[i] = (byte) i;
    }
    try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofDays(1)).build())) {
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
      return in.readNBytes(buffer.bytes, 0, SIZE);
    }
  }

  @Benchmark
  public int concurrentHashMapRead(Buffer buffer, Blackhole bh) {
    byte[] body = map.get("/bench/hit");
    System.arraycopy(body, 0, buffer.bytes, 0, body.length);
    bh.consume(buffer.bytes);
    return body.length;
  }
}
