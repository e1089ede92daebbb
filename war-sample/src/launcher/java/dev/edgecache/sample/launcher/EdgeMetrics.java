package dev.edgecache.sample.launcher;

import dev.edgecache.servlet.EdgeCacheFilter;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The runnable edge's metrics as Prometheus text on the admin path ({@code GET /_edge/metrics},
 * behind the admin token): the filter's counters, which it gives Micrometer's global registry
 * (requests by outcome, origin fetches, responses stored), and the memory store's size.
 */
final class EdgeMetrics {
  /** The media type of Prometheus's text format. */
  static final String MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private EdgeMetrics() {}

  /** Adds the metrics page to {@code filter}, before it starts. */
  static void serveOn(EdgeCacheFilter filter, CacheStorage storage) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(registry); // the filter binds its counters to the global registry at init
    if (storage instanceof MemoryStorage memory) {
      Gauge.builder("edgecache.store.bytes", memory, MemoryStorage::bytesUsed).baseUnit("bytes")
          .description("bytes the memory store holds on the heap, as its capacity counts them").register(registry);
      Gauge.builder("edgecache.store.file.bytes", memory, MemoryStorage::diskBytesUsed).baseUnit("bytes")
          .description("bytes of the memory store's body files").register(registry);
      Gauge.builder("edgecache.store.records", memory, MemoryStorage::size)
          .description("objects and markers the memory store holds").register(registry);
    }
    filter.addAdminPage("metrics", MEDIA_TYPE, registry::scrape);
  }
}
