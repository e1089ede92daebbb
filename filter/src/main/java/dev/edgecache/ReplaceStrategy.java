package dev.edgecache;

/** How {@link EdgeCache#replace} treats lookups while the replacement is written (Fastly's). */
public enum ReplaceStrategy {
  /** Write at once; lookups keep seeing the old object until the new one commits. */
  IMMEDIATE,
  /** Write at once, and remove the old object now: lookups miss until the new one commits. */
  IMMEDIATE_FORCE_MISS,
  /**
   * Wait until no other transaction fills the key, then own it: transaction lookups that arrive
   * meanwhile wait for the replacement and stream it.
   */
  WAIT
}
