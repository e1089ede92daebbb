package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import dev.edgecache.EdgeCache;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoragePlan;
import dev.edgecache.http.StoredHead;
import dev.edgecache.servlet.admin.AdminEndpoint;
import dev.edgecache.servlet.admin.OutcomeHistory;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What every request of one filter shares, made at {@code init} and closed at {@code destroy}:
 * the cache and its settings, the counters and where they are published (JMX, Micrometer), the
 * threads that serve fills' own clients, the admin path, and who is told each outcome.
 * Thread-safe: read by every request.
 */
final class FilterRuntime implements AutoCloseable {
  /** The filter's logger, where each outcome is logged at {@code FINE} (as the filter documents). */
  private static final Logger LOG = Logger.getLogger("dev.edgecache.servlet.EdgeCacheFilter");
  /** The largest stored head that is read: larger user metadata is not one of the filter's. */
  static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final AtomicBoolean WARNED_NOT_MAPPED = new AtomicBoolean();

  final EdgeCache cache;
  final FilterSettings settings;
  /** The settings' rules for storing, as the HTTP policy takes them. */
  final StoragePlan.Rules rules;
  /** The response fields kept from clients, lower case ({@link FilterSettings#edgeOnlyFields}). */
  final java.util.Set<String> edgeOnlyFields;
  final FilterStats stats;
  final RequestKeys keys;
  /** Whether a response may be stored yet ({@code min-uses}). */
  final Admission admission;
  /** How many fills may be encoded in the cache's own coding at once ({@code max-encoders}). */
  final EncoderBudget encoders;
  /** Spans of the requests, for a tracer on the class path. */
  final Tracing tracing = Tracing.create();
  /** The preload links of stored pages, sent ahead of the origin's answer. */
  final EarlyHints earlyHints = new EarlyHints();
  /** Stored heads already decoded: hits replay the same heads again and again. */
  private final HeadCache heads = new HeadCache();
  /**
   * Threads that write a fill's body to its own client from the object, blocking, while the
   * application fills it on the request's thread, where the container's non-blocking output
   * cannot do it during the dispatch (Tomcat and Undertow start it only once the request's
   * dispatch, the fill itself, has returned; {@link DispatchOutput}). None while idle.
   */
  final ThreadPoolExecutor ownClients = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "edgecache-own-client");
        t.setDaemon(true);
        return t;
      });
  final AdminEndpoint admin;
  private final boolean ownsCache;
  private volatile OutcomeListener outcomes;
  private ObjectName mbeanName;
  /** Watches fills that outlive their requests, and ticks the status page's history. */
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "edgecache-timer");
    t.setDaemon(true);
    return t;
  });

  FilterRuntime(EdgeCache cache, boolean ownsCache, FilterSettings settings, FilterStats stats,
      Map<String, AdminEndpoint.Page> pages, FilterConfig config) {
    this.cache = cache;
    this.ownsCache = ownsCache;
    this.settings = settings;
    this.stats = stats;
    this.keys = new RequestKeys(settings);
    this.admission = new Admission(settings.minUses(), settings.capacityBytes());
    this.encoders = new EncoderBudget(settings.maxEncoders());
    this.rules = keys.storageRules();
    this.edgeOnlyFields = settings.edgeOnlyFields();
    OutcomeHistory history = null;
    if (settings.adminToken() != null) {
      // the status page's chart: one slot of outcomes every few seconds, on a thread of its own
      OutcomeHistory h = new OutcomeHistory(stats, cache.clock().millis());
      history = h;
      timer.scheduleAtFixedRate(() -> h.tick(cache.clock().millis()), OutcomeHistory.INTERVAL_SECONDS,
          OutcomeHistory.INTERVAL_SECONDS, TimeUnit.SECONDS);
    }
    boolean micrometer = micrometerPresent();
    admin = new AdminEndpoint(keys::keyOf, keys.served(), cache, settings, stats, kind -> stats.purged(kind, cache.clock().millis()), history,
        micrometer ? MicrometerStats::prometheusText : () -> null);
    pages.forEach(admin::addPage);
    registerStats(config, micrometer);
  }

  /** Sets who is told each request's outcome; null for no one. */
  void outcomeListener(OutcomeListener listener) {
    this.outcomes = listener;
  }

  /** A {@code Cache-Status} of this cache: a hit if {@code forward} is null. */
  CacheStatus status(CacheStatus.Forward forward, RequestKey key) {
    CacheStatus s = forward == null ? CacheStatus.hit(settings.cacheName())
        : CacheStatus.forward(settings.cacheName(), forward);
    return settings.debugKey() ? s.withKey(key.text()) : s;
  }

  /** The stored head of an entry, if it is one of the filter's and readable. */
  Optional<StoredHead> head(CacheEntry entry) {
    return entry.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode);
  }

  /**
   * Notes what a head about to be stored for {@code key} teaches the features that learn from
   * stored responses: the language its origin answers the request's {@code Accept-Language} with
   * ({@link RequestKeys#learn}), and the preload links a later miss is hinted ({@link EarlyHints}).
   * Called before the insert, whose key the first may change.
   */
  void storing(HttpServletRequest req, RequestKey key, StoredHead head, List<String> varyRule) {
    keys.learn(req, key, varyRule, head);
    earlyHints.stored(key.cacheKey(), head, varyRule);
  }

  /** Counts and reports an object served from the cache; its {@code Cache-Status}. */
  CacheStatus served(HttpServletRequest req, RequestKey key, CacheEntry entry, boolean stale) {
    Duration age = entry.age().orElse(Duration.ZERO);
    long ttl = ttlSeconds(entry.remainingFreshness().orElse(Duration.ZERO).plus(age), age);
    if (entry.collapsed()) {
      stats.collapsed.increment();
      report(req, key, RequestOutcome.COLLAPSED);
      return status(CacheStatus.Forward.URI_MISS, key).withCollapsed(true);
    }
    if (stale) {
      stats.staleServed.increment();
      report(req, key, RequestOutcome.STALE);
      return status(CacheStatus.Forward.STALE, key).withTtl(ttl);
    }
    stats.hits.increment();
    report(req, key, RequestOutcome.HIT);
    return status(null, key).withTtl(ttl);
  }

  /**
   * RFC 9211 §2.4's {@code ttl} of an object whose freshness lifetime here (cut short by a soft
   * purge) is {@code lifetime} and whose age is {@code age}: in whole seconds, as {@code Age}
   * says the age, so that a client's {@code max-age} less {@code Age} gives the same; zero or
   * negative once stale.
   */
  static long ttlSeconds(Duration lifetime, Duration age) {
    return Math.floorDiv(lifetime.toMillis(), 1000) - Math.floorDiv(age.toMillis(), 1000);
  }

  /** Tells the listener, if any, and the log, what was done with a request. */
  void report(HttpServletRequest req, RequestKey key, RequestOutcome outcome) {
    if (tracing != Tracing.NONE) {
      RequestSpan.of(req).outcome(outcome);
    }
    OutcomeListener l = outcomes;
    if (l != null || LOG.isLoggable(Level.FINE)) {
      String text = key != null ? key.text() : keys.keyOf(req).text();
      if (l != null) {
        try {
          l.outcome(text, outcome);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "outcome listener failed", e);
        }
      }
      LOG.fine(() -> req.getMethod() + " " + text + " " + outcome);
    }
  }

  /** Says, once per class loader, that a request that must reach the application could not pass the filter. */
  static void warnNotMappedForAsync() {
    if (WARNED_NOT_MAPPED.compareAndSet(false, true)) {
      LOG.warning("EdgeCacheFilter is not mapped for ASYNC dispatches, so a request that waited for another's "
          + "fill went to the application uncached, or an application's own ASYNC dispatch ended a response the "
          + "filter could not finish (a revalidated page answered with the origin's 304); fix: add "
          + "<dispatcher>REQUEST</dispatcher><dispatcher>ASYNC</dispatcher> to its filter-mapping");
    }
  }

  /** The counters over JMX, and as Micrometer meters when Micrometer is there. */
  private void registerStats(FilterConfig config, boolean micrometer) {
    String context = config.getServletContext() == null ? "" : config.getServletContext().getContextPath();
    try {
      mbeanName = new ObjectName("dev.edgecache:type=EdgeCacheFilter,name="
          + ObjectName.quote(context + "/" + config.getFilterName()));
      ManagementFactory.getPlatformMBeanServer().registerMBean(stats, mbeanName);
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "EdgeCacheFilter statistics not registered over JMX", e);
      mbeanName = null;
    }
    if (micrometer) {
      Runnable prometheus = MicrometerStats.ensurePrometheusRegistry();
      Runnable meters = MicrometerStats.bind(stats, settings.cacheName(), cache);
      unbindMeters = () -> {
        meters.run();
        prometheus.run();
      };
    }
  }

  /** Whether Micrometer's classes can be loaded here; asked before {@link MicrometerStats} loads. */
  static boolean micrometerPresent() {
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry", false, FilterRuntime.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Removes the filter's meters from Micrometer's global registry; nothing without Micrometer. */
  private Runnable unbindMeters = () -> {};

  @Override
  public void close() {
    unbindMeters.run();
    if (mbeanName != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbeanName);
      } catch (JMException e) {
        LOG.log(Level.FINE, "MBean already gone", e);
      }
    }
    timer.shutdownNow();
    ownClients.shutdownNow();
    try {
      if (!ownClients.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warning("clients of fills still being written after 5 s; their threads are left to end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsCache) {
      cache.close();
    }
  }
}
