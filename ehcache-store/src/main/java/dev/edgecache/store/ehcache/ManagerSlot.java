package dev.edgecache.store.ehcache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ehcache.CacheManager;
import org.ehcache.StateTransitionException;

/**
 * The CacheManager behind the store's caches, and its replacement when it is lost. A clustered
 * CacheManager does not always come back by itself after its server restarts: its connection
 * reconnects, but the cluster tier manager it held is gone, and every operation then fails with
 * "Cluster tier manager disconnected" for as long as the JVM runs. When the caches keep failing
 * ({@link #GIVE_UP_AFTER} failures in a row, the breaker's background probes included, or at once
 * on a failure that says the manager is disconnected), a background thread builds a new manager
 * from the same configuration, retrying after each pause until the server answers, then swaps it
 * in and closes the old one.
 * Requests meanwhile see the breaker's fast failures, that is, misses and uncached passes to the
 * origin. A manager the caller supplied is never replaced.
 */
final class ManagerSlot implements AutoCloseable {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ManagerSlot.class.getName());

  /** Trips in a row after which the manager of a single server counts as lost: 3 s of probes. */
  static final int GIVE_UP_AFTER = (int) (3_000 / EhcacheStorage.PROBE_INTERVAL_MILLIS);
  /**
   * Trips in a row after which the manager of a stripe (a URI naming its active and passive)
   * counts as lost: its connection reconnects by itself to the new active once the passive has
   * won the election (5 s by default, {@code l2.election.timeout}), and replacing it meanwhile
   * only makes a second wave of misses. This is half a minute of probes.
   */
  static final int STRIPE_GIVE_UP_AFTER = (int) (30_000 / EhcacheStorage.PROBE_INTERVAL_MILLIS);

  private final Supplier<CacheManager> factory;
  private final long retryMillis;
  private final int giveUpAfter;
  private final List<Consumer<CacheManager>> onManager = new CopyOnWriteArrayList<>();
  private volatile CacheManager manager;
  private volatile boolean closed;
  private Thread rebuilder;

  /**
   * @param manager the manager to use now
   * @param factory builds a replacement, initialised; null if the manager must never be replaced
   * @param retryMillis the pause between attempts to build a replacement
   * @param giveUpAfter trips in a row after which the manager counts as lost
   */
  ManagerSlot(CacheManager manager, Supplier<CacheManager> factory, long retryMillis, int giveUpAfter) {
    this.giveUpAfter = giveUpAfter;
    this.manager = manager;
    this.factory = factory;
    this.retryMillis = retryMillis;
  }

  /** The manager in use now. */
  CacheManager current() {
    return manager;
  }

  /**
   * Runs {@code action} on the current manager now, and on each replacement before it is used;
   * actions run in the order they were given.
   */
  void eachManager(Consumer<CacheManager> action) {
    onManager.add(action);
    action.accept(manager);
  }

  /** What the breaker reports: a trip, and how many in a row. */
  void tripped(RuntimeException failure, int tripsInARow) {
    if (factory != null && (tripsInARow >= giveUpAfter || lost(failure))) {
      replace();
    }
  }

  /** Whether {@code failure} says that the manager cannot be used any more. */
  static boolean lost(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StateTransitionException) {
        return true;
      }
      String m = t.getMessage();
      if (t instanceof IllegalStateException && m != null && m.contains("disconnected")) {
        return true;
      }
    }
    return false;
  }

  private synchronized void replace() {
    if (closed || (rebuilder != null && rebuilder.isAlive())) {
      return;
    }
    rebuilder = new Thread(this::rebuild, "edgecache-ehcache-reconnect");
    rebuilder.setDaemon(true);
    rebuilder.start();
  }

  private void rebuild() {
    long started = System.nanoTime();
    LOG.info("the cluster connection is lost; building a new one");
    for (int attempt = 1; !closed; attempt++) {
      CacheManager fresh;
      long t0 = System.nanoTime();
      try {
        fresh = factory.get();
      } catch (RuntimeException e) {
        int n = attempt;
        LOG.fine(() -> "attempt " + n + " at a new cluster connection failed after "
            + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e);
        if (!pause()) {
          return;
        }
        continue;
      }
      CacheManager old;
      synchronized (this) {
        if (closed) {
          closeQuietly(fresh);
          return;
        }
        old = manager;
        manager = fresh;
      }
      for (Consumer<CacheManager> action : onManager) {
        action.accept(fresh);
      }
      int n = attempt;
      long took = (System.nanoTime() - t0) / 1_000_000;
      LOG.info(() -> "new cluster connection in use after " + (System.nanoTime() - started) / 1_000_000
          + " ms (" + n + (n == 1 ? " attempt" : " attempts") + ", the last " + took + " ms)");
      Thread closer = new Thread(() -> closeQuietly(old), "edgecache-ehcache-close");
      closer.setDaemon(true);
      closer.start();
      return;
    }
  }

  private boolean pause() {
    try {
      Thread.sleep(retryMillis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static void closeQuietly(CacheManager m) {
    try {
      m.close();
    } catch (RuntimeException ignored) {
      // a manager that has lost its server may fail to close; it holds nothing worth saving
    }
  }

  /**
   * Stops any replacement in progress and closes the current manager, waiting at most ten
   * seconds: closing waits for the cluster, and a server that is gone must not hold the caller for
   * long.
   */
  @Override
  public void close() {
    CacheManager m;
    synchronized (this) {
      closed = true;
      if (rebuilder != null) {
        rebuilder.interrupt();
      }
      m = manager;
    }
    Thread closer = new Thread(() -> closeQuietly(m), "edgecache-ehcache-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
