package dev.edgecache.cdi;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.store.memory.MemoryStorage;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.servlet.OutcomeListener;
import dev.edgecache.servlet.RequestOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
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
 * What CDI events cost on a cache hit: a transaction lookup and full read of a 4 KiB object,
 * then the outcome told to the listener the CDI filter installs, exactly as the filter does.
 * {@code plain}: a cache built without CDI and no listener. {@code cdi-unobserved}: the CDI cache,
 * held as the CDI filter holds it, in an application without observers.
 * {@code cdi-observed}: the same with a synchronous observer of {@link CacheOutcome}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventCostBenchmark {
  /** An observer of every outcome. */
  @ApplicationScoped
  public static class Counter {
    final LongAdder seen = new LongAdder();

    void on(@Observes CacheOutcome outcome) {
      seen.increment();
    }
  }

  @Param({"plain", "cdi-unobserved", "cdi-observed"})
  public String setup;

  private WeldContainer weld;
  private EdgeCache cache;
  private OutcomeListener listener;
  private final CacheKey key = CacheKey.of("http://127.0.0.1:8080/bench/page");
  private final byte[] buffer = new byte[8192];

  @Setup(Level.Trial)
  public void start() throws IOException {
    if (setup.equals("plain")) {
      FilterSettings s = FilterSettings.DEFAULT; // built as the CDI producer builds it
      cache = EdgeCache.builder().lockTimeout(s.lockTimeout()).maxVariantsPerKey(s.maxVariants())
          .storage(MemoryStorage.builder().capacityBytes(s.capacityBytes()).maxObjectSize(s.maxObjectBytes()).build(),
              true)
          .build();
    } else {
      Weld w = new Weld().disableDiscovery().addExtension(new EdgeCacheExtension())
          .addBeanClasses(EdgeCacheProducer.class);
      if (setup.equals("cdi-observed")) {
        w.addBeanClasses(Counter.class);
      }
      weld = w.initialize();
      EdgeCacheProducer producer = weld.select(EdgeCacheProducer.class).get();
      cache = producer.cache(); // as CdiEdgeCacheFilter holds it
      listener = CdiEdgeCacheFilter.outcomeListener(producer);
      if ((listener != null) != setup.equals("cdi-observed")) {
        throw new IllegalStateException(setup + ": listener " + listener);
      }
    }
    try (BodySink sink = cache.insert(key, WriteOptions.builder(Duration.ofDays(1)).build())) {
      sink.write(new byte[4096]);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (weld != null) {
      weld.close();
    } else {
      cache.close();
    }
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
    OutcomeListener l = listener; // as EdgeCacheFilter.report: nothing without a listener
    if (l != null) {
      l.outcome(key.toString(), RequestOutcome.HIT);
    }
    if (n != 4096) {
      throw new IllegalStateException("read " + n);
    }
    return n;
  }
}
