package dev.edgecache.servlet;

import dev.edgecache.EdgeCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The filter's counters as Micrometer meters in the global registry: {@code edgecache.requests}
 * tagged by outcome (hit, miss, stale, collapsed, bypass), {@code edgecache.origin.requests}
 * (every request sent to the origin), {@code edgecache.origin.fills} (those sent to fill or
 * refresh the cache), {@code edgecache.origin.errors} by kind and {@code edgecache.origin.responses}
 * by status class, and {@code edgecache.stored}; {@code edgecache.passes} by reason, {@code edgecache.not.stored} by
 * reason, {@code edgecache.purges} by kind; {@code edgecache.bytes} from the cache and from the
 * origin; the timer {@code edgecache.origin.latency} with its histogram; the gauges
 * {@code edgecache.keys.in.flight}, {@code edgecache.fills} and {@code edgecache.waiters}: each
 * tagged with the cache name. Kept apart from the filter so that
 * the filter loads without Micrometer on the classpath; it is called only when it is there (its
 * verification alone loads Micrometer's classes, so even asking it whether Micrometer is present
 * would fail without them).
 */
final class MicrometerStats {
  private MicrometerStats() {}

  /**
   * Binds the meters; returns what removes them again, when the filter is destroyed (a redeployed
   * application must not leave meters behind that read its old counters, and shadow the new).
   */
  static Runnable bind(FilterStats stats, String cacheName, EdgeCache cache) {
    MeterRegistry registry = Metrics.globalRegistry;
    java.util.List<io.micrometer.core.instrument.Meter> bound = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean unbound = new java.util.concurrent.atomic.AtomicBoolean();
    bound.add(FunctionCounter.builder("edgecache.bytes", stats, FilterStats::bytesFromCache).baseUnit("bytes")
        .tag("cache", cacheName).tag("source", "cache").description("body bytes served, by where they came from")
        .register(registry));
    bound.add(FunctionCounter.builder("edgecache.bytes", stats, FilterStats::bytesFromOrigin).baseUnit("bytes")
        .tag("cache", cacheName).tag("source", "origin").description("body bytes served, by where they came from")
        .register(registry));
    tally(registry, bound, unbound, stats.passes, "edgecache.passes", "reason", cacheName, "requests that bypassed the cache, by reason");
    tally(registry, bound, unbound, stats.notStored, "edgecache.not.stored", "reason", cacheName,
        "origin responses not stored, by reason");
    tally(registry, bound, unbound, stats.purges, "edgecache.purges", "kind", cacheName, "purges asked for over HTTP, by kind");
    Timer.Builder latency = Timer.builder("edgecache.origin.latency").tag("cache", cacheName)
        .description("time from asking the origin to its status and fields");
    Duration[] bounds = new Duration[FilterStats.LATENCY_BOUNDS_MILLIS.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Duration.ofMillis(FilterStats.LATENCY_BOUNDS_MILLIS[i]);
    }
    Timer timer = latency.serviceLevelObjectives(bounds).register(registry);
    bound.add(timer);
    stats.onOriginLatency(nanos -> {
      if (!unbound.get()) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
      }
    });
    bound.add(Gauge.builder("edgecache.keys.in.flight", cache, c -> c.activity().keysInFlight()).tag("cache", cacheName)
        .description("keys a request owns to fill or revalidate").register(registry));
    bound.add(Gauge.builder("edgecache.fills", cache, c -> c.activity().fills()).tag("cache", cacheName)
        .description("objects being written now").register(registry));
    bound.add(Gauge.builder("edgecache.waiters", cache, c -> c.activity().waiters()).tag("cache", cacheName)
        .description("requests waiting for another's fill").register(registry));
    bound.add(Gauge.builder("edgecache.build.info", () -> 1).tag("cache", cacheName)
        .tag("version", dev.edgecache.EdgeCacheVersion.get()).description("the edge cache's version, as a label")
        .register(registry));
    // the store's own figures, those it can tell
    dev.edgecache.spi.StoreFigures f = cache.storeFigures();
    bound.add(Gauge.builder("edgecache.store.available", cache, c -> c.storeFigures().available() ? 1 : 0)
        .tag("cache", cacheName).tag("kind", f.kind())
        .description("1 while the store's tiers answer, 0 while requests pass to the origin").register(registry));
    if (f.bytes() >= 0) {
      bound.add(Gauge.builder("edgecache.store.bytes", cache, c -> c.storeFigures().bytes()).baseUnit("bytes")
          .tag("cache", cacheName).description("bytes the store holds in memory, as its capacity counts them")
          .register(registry));
    }
    if (f.capacityBytes() >= 0) {
      bound.add(Gauge.builder("edgecache.store.capacity.bytes", cache, c -> c.storeFigures().capacityBytes()).baseUnit("bytes")
          .tag("cache", cacheName).description("the bytes the store may hold in memory").register(registry));
    }
    if (f.fileBytes() >= 0) {
      bound.add(Gauge.builder("edgecache.store.file.bytes", cache, c -> c.storeFigures().fileBytes()).baseUnit("bytes")
          .tag("cache", cacheName).description("bytes of the store's body files").register(registry));
    }
    if (f.records() >= 0) {
      bound.add(Gauge.builder("edgecache.store.records", cache, c -> c.storeFigures().records()).tag("cache", cacheName)
          .description("objects and markers the store holds").register(registry));
    }
    if (f.evictions() >= 0) {
      bound.add(FunctionCounter.builder("edgecache.store.evictions", cache, c -> c.storeFigures().evictions())
          .tag("cache", cacheName).description("records evicted to make room").register(registry));
    }
    outcome(registry, bound, stats, cacheName, "hit", FilterStats::hits);
    outcome(registry, bound, stats, cacheName, "miss", FilterStats::misses);
    outcome(registry, bound, stats, cacheName, "stale", FilterStats::staleServed);
    outcome(registry, bound, stats, cacheName, "collapsed", FilterStats::collapsed);
    outcome(registry, bound, stats, cacheName, "bypass", FilterStats::bypassed);
    bound.add(FunctionCounter.builder("edgecache.origin.requests", stats, s -> s.originRequests())
        .tag("cache", cacheName).description("requests sent to the origin, every method and outcome").register(registry));
    bound.add(FunctionCounter.builder("edgecache.origin.fills", stats, s -> s.originFills())
        .tag("cache", cacheName).description("requests sent to the origin to fill or refresh the cache").register(registry));
    tally(registry, bound, unbound, stats.originErrors, "edgecache.origin.errors", "kind", cacheName,
        "requests the origin failed to answer, by how");
    tally(registry, bound, unbound, stats.originResponses, "edgecache.origin.responses", "class", cacheName,
        "origin responses by status class");
    bound.add(FunctionCounter.builder("edgecache.stored", stats, s -> s.stored())
        .tag("cache", cacheName).description("responses stored").register(registry));
      return () -> {
      unbound.set(true);
      bound.forEach(registry::remove);
    };
  }

  /**
   * Puts a Prometheus registry in Micrometer's global registry if the application has none and
   * Micrometer's Prometheus registry is on the class path (in {@code WEB-INF/lib}), so that
   * {@code <admin-path>metrics} works with no code of the application's; with the JVM's and the
   * process's meters ({@link ProcessMeters}). Found by name, so that the filter needs no Prometheus
   * classes to load.
   *
   * @return what removes the registry made here again, when the filter is destroyed
   */
  static Runnable ensurePrometheusRegistry() {
    if (prometheusText() != null) {
      return () -> {};
    }
    MeterRegistry made;
    try {
      ClassLoader loader = MicrometerStats.class.getClassLoader();
      Class<?> config = Class.forName("io.micrometer.prometheusmetrics.PrometheusConfig", true, loader);
      Class<?> registry = Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", true, loader);
      made = (MeterRegistry) registry.getConstructor(config).newInstance(config.getField("DEFAULT").get(null));
    } catch (ClassNotFoundException absent) {
      return () -> {};
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      java.util.logging.Logger.getLogger(MicrometerStats.class.getName()).log(java.util.logging.Level.WARNING,
          "Micrometer's Prometheus registry is here but could not be made: " + e + "; the metrics page answers 404", e);
      return () -> {};
    }
    AutoCloseable process = ProcessMeters.bind(made);
    Metrics.addRegistry(made);
    return () -> {
      Metrics.removeRegistry(made);
      try {
        process.close();
      } catch (Exception e) {
        // the collector's listener is gone with the registry either way
      }
      made.close();
    };
  }

  /**
   * The Prometheus text of the first registry in the global registry that can write it (one with
   * a public {@code scrape()}, as Micrometer's {@code PrometheusMeterRegistry}), found by its
   * method so that the filter needs no Prometheus classes; null if there is none.
   */
  static String prometheusText() {
    for (MeterRegistry r : Metrics.globalRegistry.getRegistries()) {
      try {
        java.lang.reflect.Method scrape = r.getClass().getMethod("scrape");
        if (scrape.getReturnType() == String.class) {
          return (String) scrape.invoke(r);
        }
      } catch (NoSuchMethodException e) {
        // not a Prometheus registry
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("the Prometheus registry failed to write its text", e);
      }
    }
    return null;
  }

  private static void tally(MeterRegistry registry, java.util.List<io.micrometer.core.instrument.Meter> bound,
      java.util.concurrent.atomic.AtomicBoolean unbound, FilterStats.Tally tally, String name, String tag,
      String cacheName, String description) {
    tally.onEachLabel((label, count) -> {
      if (!unbound.get()) {
        bound.add(FunctionCounter.builder(name, count, LongAdder::sum)
            .tag("cache", cacheName).tag(tag, label).description(description).register(registry));
      }
    });
  }

  private static void outcome(MeterRegistry registry, java.util.List<io.micrometer.core.instrument.Meter> bound,
      FilterStats stats, String cacheName, String outcome, ToDoubleFunction<FilterStats> count) {
    bound.add(FunctionCounter.builder("edgecache.requests", stats, count)
        .tag("cache", cacheName).tag("outcome", outcome)
        .description("requests through the edge cache filter, by outcome").register(registry));
  }
}
