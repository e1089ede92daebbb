package dev.edgecache.internal;

import dev.edgecache.spi.StorageKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The collapsing state of one storage key in this JVM: what stage it is at ({@link State}), its
 * local owner, the owner's write once it has started, and the callers waiting. At most one flight
 * per key is in the lock table; a retired flight has left it, and a caller that finds one looks
 * again.
 *
 * <p>Every field is guarded by the flight's monitor. Nothing that may run a caller's code
 * (completing a future) or wait on the store (taking its lock) happens while it is held: a move to
 * {@link State#ACQUIRING} marks the key as being taken while the store is asked outside the
 * monitor, and callers who come meanwhile queue.
 */
final class Flight {
  /** Where a key's flight is; its moves are in {@link #moveTo}. */
  enum State {
    /** Just made: nobody owns the key here, nobody waits. */
    OPEN,
    /** A caller is taking (or, passing the key on, renewing) the store's lock; others queue. */
    ACQUIRING,
    /** A caller in this JVM owns the key and has not begun its write. */
    OWNED,
    /** The owner's write has begun: waiters that can stream it do. */
    FILLING,
    /** The store's lock is held by another node, or a lease not yet released: waiters follow it. */
    WATCHING_REMOTE,
    /** Out of the lock table: whoever finds it looks again. */
    RETIRED
  }

  final StorageKey key;
  private State state = State.OPEN;
  /** The owner in this JVM; set in OWNED and FILLING. */
  Transaction owner;
  /** The owner's write; set in FILLING. */
  Fill fill;
  /** Bumped on each wait for a remote change, so that a stale wake-up is ignored. */
  long watchRound;
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  Flight(StorageKey key) {
    this.key = key;
  }

  State state() {
    return state;
  }

  boolean is(State s) {
    return state == s;
  }

  /**
   * Moves to {@code next}. The moves: OPEN to ACQUIRING; ACQUIRING to OWNED or WATCHING_REMOTE;
   * OWNED to FILLING, or to ACQUIRING while the key passes to the next owner; and any state to
   * RETIRED (again, harmlessly).
   *
   * @throws IllegalStateException for any other move: a bug in the lock table
   */
  void moveTo(State next) {
    boolean allowed = switch (next) {
      case OPEN -> false;
      case ACQUIRING -> state == State.OPEN || state == State.OWNED;
      case OWNED, WATCHING_REMOTE -> state == State.ACQUIRING;
      case FILLING -> state == State.OWNED;
      case RETIRED -> true;
    };
    if (!allowed) {
      throw new IllegalStateException("flight of " + key + ": no move from " + state + " to " + next);
    }
    state = next;
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
