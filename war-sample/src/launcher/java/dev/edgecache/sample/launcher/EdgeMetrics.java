package dev.edgecache.sample.launcher;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.ehcache.EhcacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The runnable edge's Prometheus registry, put in Micrometer's global registry before the server
 * starts: the filter binds its meters there at init and serves the registry's text on the admin
 * path ({@code GET /_edge/metrics}, behind the admin token), in both modes. In front of an
 * origin the edge builds the store, and adds its figures: the memory store's bytes, records and
 * evictions, or whether the Ehcache store's tiers (its cluster) answer.
 */
final class EdgeMetrics {
  private EdgeMetrics() {}

  /** Makes the registry; once per process. */
  static synchronized void install() {
    if (Metrics.globalRegistry.getRegistries().stream().noneMatch(r -> r instanceof PrometheusMeterRegistry)) {
      Metrics.addRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
  }

  /** Adds the figures of the store the edge built. */
  static void watch(CacheStorage storage, boolean clustered) {
    if (storage instanceof MemoryStorage memory) {
      Gauge.builder("edgecache.store.bytes", memory, MemoryStorage::bytesUsed).baseUnit("bytes")
          .description("bytes the memory store holds on the heap, as its capacity counts them")
          .register(Metrics.globalRegistry);
      Gauge.builder("edgecache.store.file.bytes", memory, MemoryStorage::diskBytesUsed).baseUnit("bytes")
          .description("bytes of the memory store's body files").register(Metrics.globalRegistry);
      Gauge.builder("edgecache.store.records", memory, MemoryStorage::size)
          .description("objects and markers the memory store holds").register(Metrics.globalRegistry);
      FunctionCounter.builder("edgecache.store.evictions", memory, MemoryStorage::evictions)
          .description("records evicted to make room").register(Metrics.globalRegistry);
    } else if (storage instanceof EhcacheStorage ehcache) {
      Gauge.builder("edgecache.store.available", ehcache, e -> e.available() ? 1 : 0)
          .tag("tier", clustered ? "cluster" : "local")
          .description("1 while the store's tiers answer, 0 while it passes requests to the origin")
          .register(Metrics.globalRegistry);
    }
  }
}
