package dev.edgecache.bench;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import dev.edgecache.store.memory.MemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Collapsing: 64 threads look up one cold key at once; the one owner writes 1 MiB in 16 KiB
 * chunks and the 63 others stream it. {@code collapse} is the time from the start until the last
 * waiter has read every byte; {@code ownerWriteOnly} is the same owner's write with nobody
 * waiting. Their ratio is what collapsing costs over the write itself. Each operation checks that
 * there was exactly one owner and that every waiter read 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CollapseBenchmark {
  private static final int THREADS = 64;
  private static final int CHUNK = 16 * 1024;
  private static final int SIZE = 1024 * 1024;
  private static final byte[] CHUNK_BYTES = new byte[CHUNK];

  private EdgeCache cache;
  private ExecutorService pool;
  private final AtomicLong keys = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    cache = EdgeCache.builder()
        .storage(MemoryStorage.builder().capacityBytes(256L * 1024 * 1024).build(), true)
        .build();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdownNow();
    cache.close();
  }

  @Benchmark
  public long collapse() throws Exception {
    CacheKey key = CacheKey.of("/bench/collapse/" + keys.incrementAndGet());
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger owners = new AtomicInteger();
    List<Future<Long>> reads = new ArrayList<>(THREADS);
    for (int i = 0; i < THREADS; i++) {
      reads.add(pool.submit(() -> {
        start.await();
        try (CacheEntry entry = cache.transactionLookup(key)) {
          if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
            owners.incrementAndGet();
            writeMiB(entry);
            return (long) SIZE;
          }
          return drain(entry);
        }
      }));
    }
    start.countDown();
    long total = 0;
    for (Future<Long> r : reads) {
      long n = r.get(60, TimeUnit.SECONDS);
      if (n != SIZE) {
        throw new IllegalStateException("a waiter read " + n + " bytes");
      }
      total += n;
    }
    if (owners.get() != 1) {
      throw new IllegalStateException(owners.get() + " owners for one key");
    }
    cache.purge(key); // each operation writes into free space, as ownerWriteOnly does
    return total;
  }

  @Benchmark
  public long ownerWriteOnly() throws Exception {
    CacheKey key = CacheKey.of("/bench/alone/" + keys.incrementAndGet());
    try (CacheEntry entry = cache.transactionLookup(key)) {
      writeMiB(entry);
    }
    cache.purge(key);
    return SIZE;
  }

  private static void writeMiB(CacheEntry entry) {
    try (BodySink sink = entry.insert(WriteOptions.builder(Duration.ofMinutes(1)).build())) {
      for (int written = 0; written < SIZE; written += CHUNK) {
        sink.write(CHUNK_BYTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long drain(CacheEntry entry) throws IOException {
    byte[] buf = new byte[CHUNK];
    long n = 0;
    try (InputStream in = entry.body()) {
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
      }
    }
    return n;
  }
}
