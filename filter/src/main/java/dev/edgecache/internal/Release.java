package dev.edgecache.internal;

/**
 * What the end of an owner's turn does to the requests queued behind it (as pingora-cache's lock
 * status tells its waiters), in place of flags on the lock protocol's calls.
 */
enum Release {
  /** The next live waiter takes the key over, under the same store lock. */
  TO_NEXT_WAITER,
  /** The flight ends and every waiter looks again: a hit now, or a flight of its own. */
  EVERYONE_LOOKS_AGAIN,
  /** Every waiter goes to the origin on its own, at once (RFC 9111 §4: nothing to share). */
  EVERYONE_PASSES,
  /** As {@link #EVERYONE_PASSES}, and a hit-for-miss marker keeps later callers from queueing. */
  EVERYONE_PASSES_REMEMBERED
}
