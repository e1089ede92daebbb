package dev.edgecache.servlet;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.function.ToDoubleFunction;

/**
 * The filter's counters as Micrometer meters in the global registry: {@code edgecache.requests}
 * tagged by outcome (hit, miss, stale, collapsed, bypass), {@code edgecache.origin.fetches} and
 * {@code edgecache.stored}, each tagged with the cache name. Kept apart from the filter so that
 * the filter loads without Micrometer on the classpath; it is called only when it is there (its
 * verification alone loads Micrometer's classes, so even asking it whether Micrometer is present
 * would fail without them).
 */
final class MicrometerStats {
  private MicrometerStats() {}

  static void bind(FilterStats stats, String cacheName) {
    MeterRegistry registry = Metrics.globalRegistry;
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

  private static void outcome(MeterRegistry registry, FilterStats stats, String cacheName,
      String outcome, ToDoubleFunction<FilterStats> count) {
    FunctionCounter.builder("edgecache.requests", stats, count)
        .tag("cache", cacheName).tag("outcome", outcome)
        .description("requests through the edge cache filter, by outcome").register(registry);
  }
}
