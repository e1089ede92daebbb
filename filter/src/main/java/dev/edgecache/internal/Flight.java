package dev.edgecache.internal;

import dev.edgecache.spi.StorageKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The collapsing state of one storage key in this JVM: its local owner, the owner's write once it
 * has started, and the callers waiting. At most one flight per key is in the cache's map; a
 * retired flight has left the map, and a caller that finds one retires its attempt and looks
 * again.
 *
 * <p>Every field is guarded by the flight's monitor. Nothing that may run a caller's code
 * (completing a future) happens while it is held.
 */
final class Flight {
  final StorageKey key;
  /** The owner in this JVM; null while none, or while the store's lock is held elsewhere. */
  Transaction owner;
  /** The owner's write, once it has started; waiters stream it. */
  Fill fill;
  /** True while the store's lock is held by another node (or a previous owner's lease). */
  boolean watchingRemote;
  /** Bumped on each wait for a remote change, so that a stale wake-up is ignored. */
  long watchRound;
  boolean retired;
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  Flight(StorageKey key) {
    this.key = key;
  }

  /** Removes and returns every waiter. */
  List<Waiter> drain() {
    List<Waiter> all = new ArrayList<>(waiters);
    waiters.clear();
    return all;
  }

  /** Removes and returns the waiters that take a streaming entry, leaving the others queued. */
  List<Waiter> drainStreamable() {
    List<Waiter> out = new ArrayList<>();
    waiters.removeIf(w -> {
      if (w.takesStream()) {
        out.add(w);
        return true;
      }
      return false;
    });
    return out;
  }

  /** The first waiter still waiting, removed from the queue; null if none. */
  Waiter pollLive() {
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        return w;
      }
    }
    return null;
  }
}
