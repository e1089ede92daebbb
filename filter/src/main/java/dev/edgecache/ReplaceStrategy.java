package dev.edgecache;

/**
 * How {@link EdgeCache#replace} treats lookups while the replacement is written (Fastly's). The
 * immediate strategies take the key at once if nobody holds it (a replacement then loses it, as
 * an owner does, if it has not started its insert within the lock timeout), or go on beside
 * whoever holds it.
 */
public enum ReplaceStrategy {
  /**
   * Write at once; lookups keep seeing the old object until the new one commits. A transaction
   * lookup that the old object cannot answer waits for the replacement and streams it.
   */
  IMMEDIATE,
  /**
   * Write at once, and remove the old object now: plain lookups miss until the new one commits,
   * and transaction lookups wait for the replacement and stream it rather than go to the origin.
   */
  IMMEDIATE_FORCE_MISS,
  /**
   * Wait until no other transaction, immediate replacement or insert holds the key (an insert
   * for the lock timeout at most), then own it: transaction lookups that arrive meanwhile wait
   * for the replacement and stream it.
   */
  WAIT
}
