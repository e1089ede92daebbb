package dev.edgecache.internal;

import dev.edgecache.CacheActivity;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.LookupOptions;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The lock table: one {@link Flight} per key being filled in this JVM, with its owner and its
 * queue, under the store's lock (as pingora-cache's {@code lock.rs}). The first caller of a key
 * takes the store's lock and owns the key; the others queue with a deadline; the end of an
 * owner's turn says what becomes of the queue ({@link Release}), and the waiters let go are handed
 * to a {@link Dispatch}. Owners on other nodes are followed by {@link RemoteOwnerWatch}.
 *
 * <p>The store's lock is taken and renewed outside every flight's monitor: the flight is marked
 * {@link Flight.State#ACQUIRING} meanwhile, and callers who come then queue. A store that answers
 * slowly so holds back only the callers of its key, never a thread that holds a monitor.
 */
final class LockTable {
  private final Dispatch dispatch;
  private final GuardedStorage guarded;
  private final Deadlines deadlines;
  private final Duration lockTimeout;
  private final CacheListener listener;
  private final RemoteOwnerWatch remoteOwners;
  private final ConcurrentHashMap<StorageKey, Flight> keys = new ConcurrentHashMap<>();

  LockTable(Dispatch dispatch, GuardedStorage guarded, Clock clock, Duration lockTimeout,
      CacheListener listener, Deadlines deadlines, Executor blockingWork) {
    this.dispatch = dispatch;
    this.guarded = guarded;
    this.deadlines = deadlines;
    this.lockTimeout = lockTimeout;
    this.listener = listener;
    this.remoteOwners = new RemoteOwnerWatch(dispatch, this, guarded, clock, lockTimeout, deadlines, blockingWork);
  }

  Duration lockTimeout() {
    return lockTimeout;
  }

  /** Queues {@code w} in the flight of {@code r.key()}, or makes it the flight's owner. */
  void join(Waiter w, Resolution r) {
    join(w, r, false);
  }

  /**
   * As {@link #join(Waiter, Resolution)}, without the store's lock: for waiters whose owner on
   * another node can no longer be followed (the tier failed under the watch). One of them owns
   * the key in this JVM and the others queue behind it, rather than all going to the origin.
   */
  void joinLocally(Waiter w, Resolution r) {
    join(w, r, true);
  }

  private void join(Waiter w, Resolution r, boolean local) {
    while (true) {
      Flight f = keys.computeIfAbsent(r.key(), Flight::new);
      Fill follow = null;
      boolean acquire = false;
      synchronized (f) {
        switch (f.state()) {
          case RETIRED -> {
            continue;
          }
          case OPEN -> {
            f.moveTo(Flight.State.ACQUIRING);
            acquire = true;
          }
          case FILLING -> {
            if (w.takesStream()) {
              follow = f.fill;
            } else {
              queue(f, w);
            }
          }
          default -> queue(f, w);
        }
      }
      if (acquire) {
        acquired(f, w, r, local ? GuardedStorage.LOCAL_ONLY : guarded.acquire(r.key()));
      } else if (follow == null) {
        GuardedStorage.notify(() -> listener.collapsed(w.key));
      } else if (follow.shareable) {
        dispatch.followWrite(w, follow);
      } else {
        dispatch.passAll(List.of(w), r);
      }
      return;
    }
  }

  /** The store answered {@code w}'s taking of the lock of {@code f}: it owns the key, or follows who does. */
  private void acquired(Flight f, Waiter w, Resolution r, LockLease lease) {
    Transaction t = null;
    synchronized (f) {
      if (lease == null) {
        f.moveTo(Flight.State.WATCHING_REMOTE);
        queue(f, w);
      } else {
        t = own(f, r, w.options, lease);
      }
    }
    if (t == null) {
      remoteOwners.watch(f);
    } else {
      dispatch.grant(t, w);
    }
  }

  /** Makes a transaction the owner of {@code f} (its monitor held), with the lock timeout running. */
  private Transaction own(Flight f, Resolution r, LookupOptions options, LockLease lease) {
    Transaction t = new Transaction(f, r, options, lease == GuardedStorage.LOCAL_ONLY ? null : lease);
    f.owner = t;
    f.moveTo(Flight.State.OWNED);
    scheduleLockTimeout(t);
    return t;
  }

  /**
   * Queues a waiter in a flight (its monitor held), with a deadline: a lookup waits at most the
   * lock timeout in all, however many owners the key passes through (each failing, say), and
   * whether the owner is here or on another node. Then it goes to the origin on its own.
   */
  private void queue(Flight f, Waiter w) {
    f.waiters.add(w);
    if (w.takesStream()) {
      w.deadline = deadlines.later(lockTimeout.toMillis(), () -> waitedTooLong(f, w));
    }
  }

  /** A lookup's deadline passed while it was still queued: it owns the key alone, or hits. */
  private void waitedTooLong(Flight f, Waiter w) {
    synchronized (f) {
      if (!f.waiters.remove(w)) {
        return;
      }
    }
    dispatch.alone(w);
  }

  /** Owns the key now if nobody does, without waiting; null otherwise. */
  Transaction tryOwnNow(Resolution r, LookupOptions options) {
    Flight f = keys.computeIfAbsent(r.key(), Flight::new);
    synchronized (f) {
      if (!f.is(Flight.State.OPEN)) {
        return null;
      }
      f.moveTo(Flight.State.ACQUIRING);
    }
    LockLease lease = guarded.acquire(r.key());
    synchronized (f) {
      if (lease != null) {
        return own(f, r, options, lease);
      }
    }
    heldElsewhere(f);
    return null;
  }

  /**
   * The store's lock of {@code f}, which this JVM was taking, is held elsewhere: the callers who
   * queued meanwhile follow that owner; with none, the flight ends.
   */
  private void heldElsewhere(Flight f) {
    synchronized (f) {
      if (f.waiters.isEmpty()) {
        retire(f);
        return;
      }
      f.moveTo(Flight.State.WATCHING_REMOTE);
    }
    remoteOwners.watch(f);
  }

  /**
   * Takes the flight of {@code target}, a variant key other than the one {@code t} locked, if
   * nobody holds it: {@code t}'s write there then collapses the variant's callers too.
   */
  void claimVariant(Transaction t, StorageKey target) {
    if (t.flight == null || target.equals(t.flight.key)) {
      return;
    }
    Flight f = keys.computeIfAbsent(target, Flight::new);
    synchronized (f) {
      if (!f.is(Flight.State.OPEN)) {
        return;
      }
      f.moveTo(Flight.State.ACQUIRING);
    }
    LockLease lease = guarded.acquire(target);
    if (lease == null) {
      heldElsewhere(f);
      return;
    }
    synchronized (f) {
      f.owner = t;
      f.moveTo(Flight.State.OWNED);
      t.variantFlight = f;
      t.variantLease = lease == GuardedStorage.LOCAL_ONLY ? null : lease;
    }
  }

  /** Gives up a claimed variant flight without a write: its waiters look again. */
  void releaseVariant(Transaction t) {
    Flight f = t.variantFlight;
    if (f == null) {
      return;
    }
    t.variantFlight = null;
    List<Waiter> again;
    synchronized (f) {
      if (f.owner != t) {
        return;
      }
      f.owner = null;
      retire(f);
      again = f.drain();
    }
    guarded.releaseLease(t.variantLease);
    again.forEach(dispatch::lookAgain);
  }

  /** The waiters a write's start lets go from its flight. */
  record Started(List<Waiter> stream, List<Waiter> pass) {
    static final Started NONE = new Started(List.of(), List.of());
  }

  /**
   * Attaches {@code t}'s write to {@code f}, which {@code t} owns: waiters that can stream it are
   * let go to do so (if the store can follow a write), or, if it is not shareable, every waiter
   * is let go to the origin on its own.
   */
  Started startFill(Flight f, Transaction t, Fill fill, LockLease lease, boolean canStream) {
    synchronized (f) {
      if (f.owner != t) {
        return Started.NONE;
      }
      f.fill = fill;
      f.moveTo(Flight.State.FILLING);
      fill.flight = f;
      fill.lease = lease;
      if (!fill.shareable) {
        // RFC 9111 §4: a waiter may be given the owner's response only if the cache could serve
        // that stored response to the waiter's own request without validation. One that is not
        // fresh (no-cache, max-age=0, must-revalidate with no lifetime) could not: every waiter
        // goes to the origin on its own, at once.
        return new Started(List.of(), f.drain());
      }
      return new Started(canStream ? f.drainStreamable() : List.of(), List.of());
    }
  }

  /** A write ended: its flight ends, and the waiters still queued are returned to look again. */
  List<Waiter> endFill(Fill fill) {
    Flight f = fill.flight;
    if (f == null) {
      return List.of();
    }
    synchronized (f) {
      if (f.fill != fill) {
        return List.of();
      }
      f.fill = null;
      if (f.owner == fill.txn) {
        f.owner = null;
      }
      retire(f);
      return f.drain();
    }
  }

  /**
   * Ends {@code t}'s ownership before any write: {@link Release#TO_NEXT_WAITER}, the next live
   * waiter becomes the owner under the same store lock (or, nobody waiting, the flight ends);
   * {@link Release#EVERYONE_LOOKS_AGAIN}, the flight ends and every waiter looks again.
   */
  void handOver(Transaction t, Release how) {
    if (how != Release.TO_NEXT_WAITER && how != Release.EVERYONE_LOOKS_AGAIN) {
      throw new IllegalArgumentException("a hand-over cannot " + how);
    }
    Flight f = t.flight;
    Waiter next = null;
    synchronized (f) {
      if (f.owner != t || t.state != Transaction.State.OWNING) {
        return;
      }
      t.cancelTimer();
      t.state = Transaction.State.DONE;
      f.owner = null;
      if (how == Release.TO_NEXT_WAITER) {
        next = f.pollLive();
      }
      // the lease is renewed for the next owner outside the monitor; callers who come meanwhile queue
      f.moveTo(Flight.State.ACQUIRING);
    }
    boolean kept = next != null && (t.lease == null || guarded.renew(t.lease));
    Transaction successor = null;
    List<Waiter> again = List.of();
    synchronized (f) {
      if (kept) {
        successor = own(f, t.resolution, next.options, t.lease);
      } else {
        retire(f);
        again = f.drain();
        if (next != null) {
          again.add(0, next);
        }
      }
    }
    if (!kept) {
      guarded.releaseLease(t.lease);
    }
    if (successor != null) {
      dispatch.grant(successor, next);
    }
    again.forEach(dispatch::lookAgain);
  }

  /**
   * The owner neither wrote nor cancelled within the lock timeout (a stalled origin): it loses
   * the key, and every waiter goes to the origin on its own at once, as nginx's
   * {@code proxy_cache_lock_timeout} does. Handing the key to one waiter at a time would make the
   * n-th waiter wait n timeouts. The flight ends, so the next caller starts a new one.
   */
  private void timedOut(Transaction t) {
    if (releaseAll(t, Transaction.State.LOST, Release.EVERYONE_PASSES)) {
      GuardedStorage.notify(() -> listener.lockTimedOut(t.flight.key.primary()));
    }
  }

  /**
   * Ends {@code t}'s ownership in state {@code end} and releases every waiter at once (the
   * response may not be shared, or the owner timed out); with
   * {@link Release#EVERYONE_PASSES_REMEMBERED} a hit-for-miss marker keeps later callers from
   * queueing either. False if {@code t} no longer owned the key.
   */
  boolean releaseAll(Transaction t, Transaction.State end, Release how) {
    if (how != Release.EVERYONE_PASSES && how != Release.EVERYONE_PASSES_REMEMBERED) {
      throw new IllegalArgumentException("a release of all cannot " + how);
    }
    List<Waiter> waiters;
    synchronized (t.flight) {
      if (t.flight.owner != t || t.state != Transaction.State.OWNING) {
        return false;
      }
      t.cancelTimer();
      t.state = end;
      t.flight.owner = null;
      retire(t.flight);
      waiters = t.flight.drain();
    }
    if (how == Release.EVERYONE_PASSES_REMEMBERED) {
      guarded.writeNotCacheable(t.resolution);
    }
    guarded.releaseLease(t.lease);
    dispatch.passAll(waiters, t.resolution);
    return true;
  }

  /** Removes {@code t} as owner of its flight, ending the flight; returns its waiters. */
  List<Waiter> endFlight(Transaction t) {
    Flight f = t.flight;
    if (f == null) {
      return List.of();
    }
    synchronized (f) {
      t.cancelTimer();
      if (f.owner != t) {
        return List.of();
      }
      f.owner = null;
      retire(f);
      return f.drain();
    }
  }

  private void scheduleLockTimeout(Transaction t) {
    t.timer = deadlines.later(lockTimeout.toMillis(), () -> timedOut(t));
  }

  /** Takes {@code f} out of the table (its monitor held): whoever finds it looks again. */
  void retire(Flight f) {
    f.moveTo(Flight.State.RETIRED);
    keys.remove(f.key, f);
  }

  /** A write in progress under {@code key}, in this JVM or another node, if one can be followed. */
  StoredObject streamingWriteOf(StorageKey key) {
    Flight f = keys.get(key);
    Fill fill = null;
    if (f != null) {
      synchronized (f) {
        fill = f.fill;
      }
    }
    if (fill != null) {
      return guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag);
    }
    LockInfo info = guarded.lockHolder(key).orElse(null);
    return info != null && info.writing() ? guarded.lookupStreamingWrite(key, info.writeTag()) : null;
  }

  /** Keys in flight, the fills among them, and the waiters queued behind them, now. */
  CacheActivity activity() {
    int flights = 0;
    int fills = 0;
    int waiters = 0;
    for (Flight f : keys.values()) {
      synchronized (f) {
        flights++;
        fills += f.is(Flight.State.FILLING) ? 1 : 0;
        waiters += f.waiters.size();
      }
    }
    return new CacheActivity(flights, fills, waiters);
  }

  /** Whether a flight of {@code key} (any variant) is under way in this JVM. */
  boolean flying(CacheKey key) {
    for (StorageKey inFlight : keys.keySet()) {
      if (inFlight.primary().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Takes every queued waiter out: the cache was closed. */
  List<Waiter> drainAll() {
    List<Waiter> all = new java.util.ArrayList<>();
    for (Flight f : keys.values()) {
      synchronized (f) {
        all.addAll(f.drain());
      }
    }
    return all;
  }
}
