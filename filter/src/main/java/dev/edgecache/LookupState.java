package dev.edgecache;

/**
 * The flags of a lookup's outcome, as Fastly's {@code lookup-state}. An entry reports a set of
 * them: for example {@code FOUND, USABLE} for a fresh hit, {@code FOUND, USABLE, STALE,
 * MUST_INSERT_OR_UPDATE} for the one caller that should revalidate a stale object that others may
 * still use, {@code MUST_INSERT_OR_UPDATE} alone for the owner of a miss.
 */
public enum LookupState {
  /** An object was found, possibly stale. */
  FOUND,
  /** The found object may be served now: fresh, or stale within stale-while-revalidate. */
  USABLE,
  /** The found object is past its freshness lifetime. */
  STALE,
  /**
   * The caller owns the key: it must insert, update or cancel (closing the entry cancels).
   * Other transaction lookups of the key wait for it, or use the stale object.
   */
  MUST_INSERT_OR_UPDATE,
  /** The found object is stale but may be served if fetching a new one fails (stale-if-error). */
  USABLE_IF_ERROR
}
