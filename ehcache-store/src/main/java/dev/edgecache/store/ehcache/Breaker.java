package dev.edgecache.store.ehcache;

import dev.edgecache.spi.StorageException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.ehcache.Cache;
import org.ehcache.config.CacheRuntimeConfiguration;

/**
 * A circuit breaker in front of the caches: once an operation fails (an unreachable or slow
 * clustered tier), every operation fails at once (a miss, a dropped write) instead of waiting out
 * its own timeout, so that requests keep a bounded latency while the cache is down (THREATS 34,
 * 36). No request tries the tier again: a background probe does, every probe interval, and closes
 * the breaker when the tier answers. Each failure, a request's first or a probe's, is reported to
 * a listener with the number of failures in a row, which is how {@link ManagerSlot} decides that
 * the CacheManager itself is lost.
 */
final class Breaker implements AutoCloseable {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Breaker.class.getName());

  /** Hears of each trip. */
  interface TripListener {
    void tripped(RuntimeException failure, int tripsInARow);
  }

  /** One cheap operation on the tier; it throws if the tier does not answer. */
  interface Probe {
    void run();
  }

  private final long probeIntervalMillis;
  private final Probe probe;
  private volatile TripListener listener = (failure, trips) -> { };
  private volatile boolean open;
  /** When the breaker last opened (System.nanoTime), for the log line that says it closed again. */
  private volatile long openedAt;
  private volatile int tripsInARow;
  private final java.util.concurrent.atomic.AtomicLong attempts = new java.util.concurrent.atomic.AtomicLong();
  /** Who waits for the breaker to close; guarded by this. */
  private final java.util.List<java.util.concurrent.CompletableFuture<Void>> closeWaiters = new java.util.ArrayList<>();
  /** The probe's thread while one runs; guarded by this. */
  private Thread prober;
  private boolean closed;
  /** Whether the probe runs while the breaker is closed too ({@link #watch}). */
  private volatile boolean watching;
  /** How long a read that answers nothing may take before it counts as a failure; none by default. */
  private volatile long slowReadNanos = Long.MAX_VALUE;

  /**
   * @param probeIntervalMillis the pause between probes while the breaker is open
   * @param probe what a probe does: an operation that reaches the tier
   */
  Breaker(long probeIntervalMillis, Probe probe) {
    this.probeIntervalMillis = probeIntervalMillis;
    this.probe = probe;
  }

  void onTrip(TripListener value) {
    this.listener = value;
  }

  /**
   * Takes a read that answers nothing after {@code readTimeout} (90% of it, for the clock's
   * grain) for a failure of the tier: Ehcache answers a clustered read that timed out as a miss.
   */
  void tripOnReadsAsSlowAs(java.time.Duration readTimeout) {
    this.slowReadNanos = readTimeout.toNanos() * 9 / 10;
  }

  /** Closes the breaker at once: the tier behind it has been replaced. */
  void reset() {
    tripsInARow = 0;
    java.util.List<java.util.concurrent.CompletableFuture<Void>> waiting;
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
      waiting = java.util.List.copyOf(closeWaiters);
      closeWaiters.clear();
    }
    LOG.info(() -> "the cache tier answers again, " + (System.nanoTime() - openedAt) / 1_000_000
        + " ms after it was lost");
    waiting.forEach(w -> w.complete(null));
  }

  /** Completes once the breaker is closed: at once if it is now, else when the tier answers again. */
  synchronized java.util.concurrent.CompletableFuture<Void> whenClosed() {
    if (!open) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    java.util.concurrent.CompletableFuture<Void> w = new java.util.concurrent.CompletableFuture<>();
    closeWaiters.add(w);
    return w;
  }

  /**
   * Opens the breaker; whether this call opened it. The first failure after it was closed is
   * logged, the rest are not.
   */
  private boolean open(RuntimeException e) {
    synchronized (this) {
      if (open) {
        return false;
      }
      openedAt = System.nanoTime();
      open = true;
    }
    LOG.warning(() -> "the cache tier does not answer (" + e.getMessage() + "); requests go on without it"
        + " and a background probe tries it every " + probeIntervalMillis + " ms");
    return true;
  }

  /** Whether the breaker is open now: the tier counts as unavailable. */
  boolean open() {
    return open;
  }

  /** How many operations have reached the tier through this breaker: for tests of who waits on it. */
  long attempts() {
    return attempts.get();
  }

  /**
   * A request's operation failed. Only the failure that opens the breaker counts as a trip: the
   * requests that were in flight together fail of the same event (a burst of a hundred must not
   * count as a hundred events in a row, and have a healthy connection thrown away), and while the
   * breaker is open the probe alone counts, once per interval.
   */
  private void trip(RuntimeException e) {
    if (!open(e)) {
      return;
    }
    int trips = ++tripsInARow; // racy with the probe's by design: a count off by one changes nothing
    listener.tripped(e, trips);
    startProbing();
  }

  private synchronized void startProbing() {
    if (closed || prober != null) {
      return; // the running probe sees that the breaker is open
    }
    prober = new Thread(this::probeUntilClosed, "edgecache-ehcache-probe");
    prober.setDaemon(true);
    prober.start();
  }

  /**
   * Probes the tier every interval while it works too, so that a tier that went away is noticed
   * although nothing asked it: a cache whose hits come from its local heap tier must stop
   * serving them once its server cannot tell it of purges elsewhere.
   */
  synchronized void watch() {
    if (closed || prober != null) {
      return;
    }
    watching = true;
    prober = new Thread(this::probeUntilClosed, "edgecache-ehcache-watch");
    prober.setDaemon(true);
    prober.start();
  }

  private void probeUntilClosed() {
    while (true) {
      try {
        Thread.sleep(probeIntervalMillis);
      } catch (InterruptedException e) {
        synchronized (this) {
          prober = null;
        }
        return;
      }
      if (open) {
        try {
          probe.run();
          reset();
        } catch (RuntimeException e) {
          int trips = ++tripsInARow;
          listener.tripped(e, trips);
        }
      } else if (watching) {
        try {
          probe.run();
        } catch (RuntimeException e) {
          open(e);
          int trips = ++tripsInARow;
          listener.tripped(e, trips);
        }
      }
      synchronized (this) {
        // Under the lock that startProbing takes: a trip after this either finds this probe
        // still running, or finds none and starts one.
        if ((!open && !watching) || closed) {
          prober = null;
          return;
        }
      }
    }
  }

  /** Stops the probe, if one runs. */
  @Override
  public synchronized void close() {
    closed = true;
    if (prober != null) {
      prober.interrupt();
    }
  }

  /**
   * {@code cache}, named {@code name}, every operation of which goes through the breaker. The
   * guard can be pointed at another cache later ({@link Guard#bind}), as when the CacheManager
   * behind it is replaced.
   */
  Guard guard(String name, Cache<String, Blob> cache) {
    return new Guard(name, cache);
  }

  private <T> T call(String name, Cache<String, Blob> cache, Function<Cache<String, Blob>, T> op) {
    if (open) {
      throw new StorageException("the cache tier is unavailable; a background probe tries it again");
    }
    attempts.incrementAndGet();
    long started = System.nanoTime();
    try {
      T result = op.apply(cache);
      if (result == null && System.nanoTime() - started >= slowReadNanos) {
        // A clustered read that times out answers as a miss: one that took the whole deadline
        // is taken for the failure it hides, so that the next requests do not wait it out too.
        trip(new StorageException("cache " + name + ": a read took the whole read timeout"));
        return null;
      }
      if (tripsInARow != 0) {
        tripsInARow = 0;
      }
      return result;
    } catch (RuntimeException e) {
      trip(e);
      throw e instanceof StorageException se ? se
          : new StorageException("cache " + name + " failed: " + e.getMessage(), e);
    }
  }

  /** A cache whose every operation goes through the breaker. */
  final class Guard implements Cache<String, Blob> {
    private final String name;
    private volatile Cache<String, Blob> cache;

    Guard(String name, Cache<String, Blob> cache) {
      this.name = name;
      this.cache = cache;
    }

    /** From now on, operations go to {@code value}. */
    void bind(Cache<String, Blob> value) {
      this.cache = value;
    }

    @Override
    public Blob get(String key) {
      return call(name, cache, c -> c.get(key));
    }

    @Override
    public void put(String key, Blob value) {
      call(name, cache, c -> {
        c.put(key, value);
        return null;
      });
    }

    @Override
    public boolean containsKey(String key) {
      return call(name, cache, c -> c.containsKey(key));
    }

    @Override
    public void remove(String key) {
      call(name, cache, c -> {
        c.remove(key);
        return null;
      });
    }

    @Override
    public Map<String, Blob> getAll(Set<? extends String> keys) {
      return call(name, cache, c -> c.getAll(keys));
    }

    @Override
    public void putAll(Map<? extends String, ? extends Blob> entries) {
      call(name, cache, c -> {
        c.putAll(entries);
        return null;
      });
    }

    @Override
    public void removeAll(Set<? extends String> keys) {
      call(name, cache, c -> {
        c.removeAll(keys);
        return null;
      });
    }

    @Override
    public void clear() {
      call(name, cache, c -> {
        c.clear();
        return null;
      });
    }

    @Override
    public Blob putIfAbsent(String key, Blob value) {
      return call(name, cache, c -> c.putIfAbsent(key, value));
    }

    @Override
    public boolean remove(String key, Blob value) {
      return call(name, cache, c -> c.remove(key, value));
    }

    @Override
    public Blob replace(String key, Blob value) {
      return call(name, cache, c -> c.replace(key, value));
    }

    @Override
    public boolean replace(String key, Blob oldValue, Blob newValue) {
      return call(name, cache, c -> c.replace(key, oldValue, newValue));
    }

    @Override
    public CacheRuntimeConfiguration<String, Blob> getRuntimeConfiguration() {
      return cache.getRuntimeConfiguration();
    }

    @Override
    public Iterator<Entry<String, Blob>> iterator() {
      return call(name, cache, Cache::iterator);
    }
  }
}
