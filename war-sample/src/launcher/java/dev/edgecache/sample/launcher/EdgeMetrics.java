package dev.edgecache.sample.launcher;

import dev.edgecache.servlet.ProcessMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The runnable edge's Prometheus registry, put in Micrometer's global registry before the server
 * starts: the filter binds its meters and its store's there at init and serves the registry's
 * text on the admin path ({@code GET /_edge/metrics}, behind the admin token), in both modes.
 * Beside the cache's own: the JVM's and the process's meters, Jetty's thread pool and
 * connections, and what clients got, by status class and by cache outcome with its latency.
 */
final class EdgeMetrics {
  /** The client-side latency buckets: from a fast hit to a slow origin. */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(250_000), Duration.ofMillis(1),
      Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private EdgeMetrics() {}

  /** Makes the registry, with the JVM's and the process's meters; once per process. */
  static synchronized void install() {
    if (Metrics.globalRegistry.getRegistries().stream().noneMatch(r -> r instanceof PrometheusMeterRegistry)) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ProcessMeters.bind(registry);
      Metrics.addRegistry(registry);
    }
  }

  /**
   * Jetty's thread pool ({@code jetty_threads_*}, Micrometer's names) and open connections
   * ({@code jetty_connections_current}).
   */
  static void bindJetty(Server server) {
    MeterRegistry registry = Metrics.globalRegistry;
    if (server.getThreadPool() instanceof QueuedThreadPool pool) {
      Gauge.builder("jetty.threads.current", pool, QueuedThreadPool::getThreads)
          .description("threads in Jetty's pool").register(registry);
      Gauge.builder("jetty.threads.busy", pool, QueuedThreadPool::getBusyThreads)
          .description("threads of Jetty's pool at work").register(registry);
      Gauge.builder("jetty.threads.idle", pool, QueuedThreadPool::getIdleThreads)
          .description("threads of Jetty's pool waiting for work").register(registry);
      Gauge.builder("jetty.threads.config.max", pool, QueuedThreadPool::getMaxThreads)
          .description("the most threads Jetty's pool may have").register(registry);
      Gauge.builder("jetty.threads.jobs", pool, QueuedThreadPool::getQueueSize)
          .description("jobs waiting for a thread of Jetty's pool").register(registry);
    }
    for (var connector : server.getConnectors()) {
      if (connector instanceof NetworkConnector network) {
        Gauge.builder("jetty.connections.current", network, c -> c.getConnectedEndPoints().size())
            .tag("port", Integer.toString(Math.max(network.getLocalPort(), network.getPort())))
            .description("connections open now").register(registry);
      }
    }
  }

  /**
   * What clients got, as each response ends: {@code edgecache_responses_total{class}} by status
   * class, and {@code edgecache_request_duration_seconds{outcome}}, the time from the request's
   * start to its response's end, by the outcome its {@code Cache-Status} says ({@code hit},
   * {@code stale}, {@code collapsed}, {@code miss}, {@code pass}, or {@code edge} for what the edge
   * answered itself).
   */
  static RequestLog clientSide() {
    MeterRegistry registry = Metrics.globalRegistry;
    // made once each, every label from 0: a response then costs an array read and a map read,
    // no registration and nothing allocated (a hit's profile showed the label's string made per
    // response)
    io.micrometer.core.instrument.Counter[] classes = new io.micrometer.core.instrument.Counter[6];
    for (int c = 1; c <= 5; c++) {
      classes[c] = io.micrometer.core.instrument.Counter.builder("edgecache.responses").tag("class", c + "xx")
          .description("responses clients got, by status class").register(registry);
    }
    java.util.Map<String, Timer> outcomes = new java.util.HashMap<>();
    for (String o : new String[] {"hit", "stale", "collapsed", "miss", "pass", "edge"}) {
      outcomes.put(o, Timer.builder("edgecache.request.duration").tag("outcome", o)
          .serviceLevelObjectives(LATENCY_BUCKETS).description("time from a request's start to its response's end")
          .register(registry));
    }
    return (Request request, Response response) -> {
      int status = response.getStatus();
      if (status >= 100 && status < 600) {
        classes[status / 100].increment();
      }
      outcomes.get(outcome(response.getHeaders().get("Cache-Status")))
          .record(NanoTime.since(request.getBeginNanoTime()), TimeUnit.NANOSECONDS);
    };
  }

  /** The outcome a {@code Cache-Status} says. */
  static String outcome(String cacheStatus) {
    if (cacheStatus == null) {
      return "edge";
    }
    if (cacheStatus.contains("; hit")) {
      return "hit";
    }
    if (cacheStatus.contains("fwd=stale")) {
      return "stale";
    }
    if (cacheStatus.contains("collapsed")) {
      return "collapsed";
    }
    if (cacheStatus.contains("fwd=bypass")) {
      return "pass";
    }
    return "miss";
  }
}
