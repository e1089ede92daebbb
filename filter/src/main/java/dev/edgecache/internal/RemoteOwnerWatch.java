package dev.edgecache.internal;

import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows an owner this JVM does not know: the store's lock on a key is held by another node (or
 * by a lease not yet released). The flight's waiters stream that owner's write once it publishes
 * one and it is fresh, go on their own if it is not, or look again once the lock is free. Woken
 * by the store's lock events, and by a timer in case an event is lost.
 */
final class RemoteOwnerWatch {
  private final DefaultEdgeCache cache;
  private final Flights flights;
  private final GuardedStorage guarded;
  private final Clock clock;
  private final Duration lockTimeout;
  private final ScheduledExecutorService timer;

  RemoteOwnerWatch(DefaultEdgeCache cache, Flights flights, GuardedStorage guarded, Clock clock,
      Duration lockTimeout, ScheduledExecutorService timer) {
    this.cache = cache;
    this.flights = flights;
    this.guarded = guarded;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
    this.timer = timer;
  }

  /**
   * The store's lock is held by someone this JVM does not know (another node, or a lease not yet
   * released): follow its write once it publishes one, or look again once the lock is free.
   */
  void watch(Flight f) {
    long round;
    synchronized (f) {
      if (f.retired || !f.watchingRemote) {
        return;
      }
      round = ++f.watchRound;
    }
    LockInfo info = null;
    info = guarded.lockHolder(f.key).orElse(null);
    if (info == null) {
      List<Waiter> again;
      synchronized (f) {
        if (f.watchRound != round || f.retired) {
          return;
        }
        f.watchingRemote = false;
        flights.retire(f);
        again = f.drain();
      }
      again.forEach(flights::attempt);
      return;
    }
    if (info.writing()) {
      StoredObject o = guarded.lookupStreamingWrite(f.key, info.writeTag());
      if (o != null) {
        // As for a write in this JVM: only a fresh one is streamed to waiters (RFC 9111 §4).
        boolean shareable = Freshness.of(o.meta(), clock.millis()).fresh();
        List<Waiter> stream;
        boolean empty;
        synchronized (f) {
          if (f.watchRound != round || f.retired) {
            return;
          }
          stream = shareable ? f.drainStreamable() : f.drain();
          empty = f.waiters.isEmpty();
          if (empty) {
            f.watchingRemote = false;
            flights.retire(f);
          }
        }
        if (!shareable) {
          flights.passAll(stream, guarded.resolveGenerationOnly(f.key.primary()));
          return;
        }
        for (Waiter w : stream) {
          cache.deliver(w, cache.streamingEntry(o, w.options));
        }
        if (empty) {
          return;
        }
      }
    }
    long untilExpiry = info.expiresAtMillis() - clock.millis();
    long delay = Math.max(10, Math.min(untilExpiry, lockTimeout.toMillis()));
    Runnable wake = () -> {
      synchronized (f) {
        if (f.watchRound != round) {
          return;
        }
      }
      watch(f);
    };
    try {
      // Not on the thread that changed the lock: it may hold another flight's monitor.
      guarded.storage().locks().onChange(f.key).thenRunAsync(wake, cache::runBlocking);
    } catch (StorageException e) {
      guarded.reportFailure("lock watch", f.key.primary(), e);
      if (goAlone(f, round)) {
        return;
      }
    }
    if (!cache.isClosed()) {
      timer.schedule(() -> cache.runBlocking(wake), delay, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The store cannot tell this JVM when the other owner is done (its tier failed between the
   * look at the lock and the watch, as when a cluster server dies): nothing would wake the
   * waiters before the owner's lease ran out, so those that stream go to the origin on their own
   * now. True if none is left waiting.
   */
  private boolean goAlone(Flight f, long round) {
    List<Waiter> alone;
    boolean empty;
    synchronized (f) {
      if (f.watchRound != round || f.retired) {
        return true;
      }
      alone = f.drainStreamable();
      // Replacements wait for the lock itself: the timer looks again for them.
      empty = f.waiters.isEmpty();
      if (empty) {
        f.watchingRemote = false;
        flights.retire(f);
      }
    }
    alone.forEach(flights::alone);
    return empty;
  }
}
