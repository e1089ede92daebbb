package dev.edgecache.internal;

import dev.edgecache.spi.StoredObject;
import java.util.List;

/**
 * What becomes of the waiters the lock table lets go: it decides who goes, and hands them here
 * ({@link Lookups}), outside its monitors. As pingora-cache's lock hands its waiters a status, the
 * table never serves a request itself.
 */
interface Dispatch {
  /** The waiter looks in the store again: a hit now, or a place in a flight. */
  void lookAgain(Waiter w);

  /** The waiter owns the key, as {@code t}. */
  void grant(Transaction t, Waiter w);

  /** The waiter may not wait any longer: a fresh hit now, or the origin on its own. */
  void alone(Waiter w);

  /**
   * The waiter's owner on another node can no longer be followed: a fresh hit now, or a place in
   * a flight of this JVM's own (one owner for all such waiters of the key, not one each).
   */
  void collapseLocally(Waiter w);

  /** Every lookup waiter goes to the origin on its own; replacements look again. */
  void passAll(List<Waiter> waiters, Resolution r);

  /** The waiter streams a write of this JVM, or looks again if that write already failed. */
  void followWrite(Waiter w, Fill fill);

  /** The waiter streams {@code o}, a write followed from another node. */
  void stream(Waiter w, StoredObject o);
}
