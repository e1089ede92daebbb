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
 * tagged by outcome (hit, miss, stale, collapsed, bypass), {@code edgecache.origin.fetches} and
 * {@code edgecache.stored}; {@code edgecache.passes} by reason, {@code edgecache.not.stored} by
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

  static void bind(FilterStats stats, String cacheName, EdgeCache cache) {
    MeterRegistry registry = Metrics.globalRegistry;
    FunctionCounter.builder("edgecache.bytes", stats, FilterStats::bytesFromCache).baseUnit("bytes")
        .tag("cache", cacheName).tag("source", "cache").description("body bytes served, by where they came from")
        .register(registry);
    FunctionCounter.builder("edgecache.bytes", stats, FilterStats::bytesFromOrigin).baseUnit("bytes")
        .tag("cache", cacheName).tag("source", "origin").description("body bytes served, by where they came from")
        .register(registry);
    tally(registry, stats.passes, "edgecache.passes", "reason", cacheName, "requests that bypassed the cache, by reason");
    tally(registry, stats.notStored, "edgecache.not.stored", "reason", cacheName,
        "origin responses not stored, by reason");
    tally(registry, stats.purges, "edgecache.purges", "kind", cacheName, "purges asked for over HTTP, by kind");
    Timer.Builder latency = Timer.builder("edgecache.origin.latency").tag("cache", cacheName)
        .description("time from asking the origin to its status and fields");
    Duration[] bounds = new Duration[FilterStats.LATENCY_BOUNDS_MILLIS.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Duration.ofMillis(FilterStats.LATENCY_BOUNDS_MILLIS[i]);
    }
    Timer timer = latency.serviceLevelObjectives(bounds).register(registry);
    stats.onOriginLatency(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
    Gauge.builder("edgecache.keys.in.flight", cache, c -> c.activity().keysInFlight()).tag("cache", cacheName)
        .description("keys a request owns to fill or revalidate").register(registry);
    Gauge.builder("edgecache.fills", cache, c -> c.activity().fills()).tag("cache", cacheName)
        .description("objects being written now").register(registry);
    Gauge.builder("edgecache.waiters", cache, c -> c.activity().waiters()).tag("cache", cacheName)
        .description("requests waiting for another's fill").register(registry);
    // the store's own figures, those it can tell
    dev.edgecache.spi.StoreFigures f = cache.storeFigures();
    Gauge.builder("edgecache.store.available", cache, c -> c.storeFigures().available() ? 1 : 0)
        .tag("cache", cacheName).tag("kind", f.kind())
        .description("1 while the store's tiers answer, 0 while requests pass to the origin").register(registry);
    if (f.bytes() >= 0) {
      Gauge.builder("edgecache.store.bytes", cache, c -> c.storeFigures().bytes()).baseUnit("bytes")
          .tag("cache", cacheName).description("bytes the store holds in memory, as its capacity counts them")
          .register(registry);
    }
    if (f.fileBytes() >= 0) {
      Gauge.builder("edgecache.store.file.bytes", cache, c -> c.storeFigures().fileBytes()).baseUnit("bytes")
          .tag("cache", cacheName).description("bytes of the store's body files").register(registry);
    }
    if (f.records() >= 0) {
      Gauge.builder("edgecache.store.records", cache, c -> c.storeFigures().records()).tag("cache", cacheName)
          .description("objects and markers the store holds").register(registry);
    }
    if (f.evictions() >= 0) {
      FunctionCounter.builder("edgecache.store.evictions", cache, c -> c.storeFigures().evictions())
          .tag("cache", cacheName).description("records evicted to make room").register(registry);
    }
    outcome(registry, stats, cacheName, "hit", FilterStats::hits);
    outcome(registry, stats, cacheName, "miss", FilterStats::misses);
    outcome(registry, stats, cacheName, "stale", FilterStats::staleServed);
    outcome(registry, stats, cacheName, "collapsed", FilterStats::collapsed);
    outcome(registry, stats, cacheName, "bypass", FilterStats::bypassed);
    FunctionCounter.builder("edgecache.origin.fetches", stats, s -> s.originFetches())
        .tag("cache", cacheName).description("requests sent to the origin").register(registry);
    FunctionCounter.builder("edgecache.stored", stats, s -> s.stored())
        .tag("cache", cacheName).description("responses stored").register(registry);
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

  private static void tally(MeterRegistry registry, FilterStats.Tally tally, String name, String tag,
      String cacheName, String description) {
    tally.onEachLabel((label, count) -> FunctionCounter.builder(name, count, LongAdder::sum)
        .tag("cache", cacheName).tag(tag, label).description(description).register(registry));
  }

  private static void outcome(MeterRegistry registry, FilterStats stats, String cacheName,
      String outcome, ToDoubleFunction<FilterStats> count) {
    FunctionCounter.builder("edgecache.requests", stats, count)
        .tag("cache", cacheName).tag("outcome", outcome)
        .description("requests through the edge cache filter, by outcome").register(registry);
  }
}
