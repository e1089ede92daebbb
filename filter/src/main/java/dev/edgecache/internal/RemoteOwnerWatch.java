package dev.edgecache.internal;

import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Follows an owner this JVM does not know: the store's lock on a key is held by another node (or
 * by a lease not yet released). The flight's waiters stream that owner's write once it publishes
 * one and it is fresh, go on their own if it is not, or look again once the lock is free. Woken
 * by the store's lock events, and by a timer in case an event is lost.
 */
final class RemoteOwnerWatch {
  private final Dispatch dispatch;
  private final Deadlines scheduler;
  /** Where a change of the store's lock is looked at: never the thread that changed it. */
  private final java.util.concurrent.Executor blockingWork;
  private final LockTable locks;
  private final GuardedStorage guarded;
  private final Clock clock;
  private final Duration lockTimeout;

  RemoteOwnerWatch(Dispatch dispatch, LockTable locks, GuardedStorage guarded, Clock clock,
      Duration lockTimeout, Deadlines scheduler, java.util.concurrent.Executor blockingWork) {
    this.blockingWork = blockingWork;
    this.dispatch = dispatch;
    this.scheduler = scheduler;
    this.locks = locks;
    this.guarded = guarded;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
  }

  /**
   * The store's lock is held by someone this JVM does not know (another node, or a lease not yet
   * released): follow its write once it publishes one, or look again once the lock is free.
   */
  void watch(Flight f) {
    long round;
    synchronized (f) {
      if (!f.is(Flight.State.WATCHING_REMOTE)) {
        return;
      }
      round = ++f.watchRound;
    }
    LockInfo info = null;
    info = guarded.lockHolder(f.key).orElse(null);
    if (info == null) {
      Taken again = take(f, round, true);
      if (again != null) {
        again.waiters().forEach(dispatch::lookAgain);
      }
      return;
    }
    if (info.writing()) {
      StoredObject o = guarded.lookupStreamingWrite(f.key, info.writeTag());
      if (o != null) {
        // As for a write in this JVM: only a fresh one is streamed to waiters (RFC 9111 §4).
        boolean shareable = Freshness.of(o.meta(), clock.millis()).fresh();
        Taken stream = take(f, round, !shareable);
        if (stream == null) {
          return;
        }
        if (!shareable) {
          dispatch.passAll(stream.waiters(), guarded.resolveGenerationOnly(f.key.primary()));
          return;
        }
        for (Waiter w : stream.waiters()) {
          dispatch.stream(w, o);
        }
        if (stream.last()) {
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
      guarded.storage().locks().onChange(f.key).thenRunAsync(wake, blockingWork);
    } catch (StorageException e) {
      guarded.reportFailure("lock watch", f.key.primary(), e);
      // Nothing can wake the waiters before the owner's lease runs out: those that stream
      // collapse in this JVM now (one of them goes to the origin, the others stream its write,
      // rather than each going on its own); replacements wait for the lock itself, and the timer
      // looks again for them.
      Taken alone = take(f, round, false);
      if (alone == null) {
        return;
      }
      alone.waiters().forEach(dispatch::collapseLocally);
      if (alone.last()) {
        return;
      }
    }
    scheduler.later(delay, wake);
  }

  /** Waiters taken out of a flight, and whether they were its last. */
  private record Taken(List<Waiter> waiters, boolean last) {}

  /**
   * Takes this round's waiters out of {@code f}: all of them, or those that stream; the flight
   * stops watching once none is left. Null if another round has begun or the flight has ended.
   */
  private Taken take(Flight f, long round, boolean all) {
    synchronized (f) {
      if (f.watchRound != round || !f.is(Flight.State.WATCHING_REMOTE)) {
        return null;
      }
      List<Waiter> taken = all ? f.drain() : f.drainStreamable();
      boolean last = f.waiters.isEmpty();
      if (last) {
        locks.retire(f);
      }
      return new Taken(taken, last);
    }
  }
}
