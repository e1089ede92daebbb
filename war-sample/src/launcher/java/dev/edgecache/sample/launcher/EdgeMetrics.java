package dev.edgecache.sample.launcher;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The runnable edge's Prometheus registry, put in Micrometer's global registry before the server
 * starts: the filter binds its meters and its store's there at init and serves the registry's
 * text on the admin path ({@code GET /_edge/metrics}, behind the admin token), in both modes.
 */
final class EdgeMetrics {
  private EdgeMetrics() {}

  /** Makes the registry; once per process. */
  static synchronized void install() {
    if (Metrics.globalRegistry.getRegistries().stream().noneMatch(r -> r instanceof PrometheusMeterRegistry)) {
      Metrics.addRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
  }
}
