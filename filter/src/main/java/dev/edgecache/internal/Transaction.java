package dev.edgecache.internal;

import dev.edgecache.LookupOptions;
import dev.edgecache.spi.LockLease;
import java.util.concurrent.Future;

/**
 * The ownership of a key by one caller: granted by a transaction lookup, ended by an insert (when
 * its write commits or aborts), an update, a cancel, or the lock timeout.
 *
 * <p>A transaction with a {@link #flight} collapses other callers behind it; one without (a
 * hit-for-miss pass, a non-transactional insert, an immediate replacement) makes nobody wait.
 * {@link #state} and {@link #timer} are guarded by the flight's monitor, or by this object when
 * there is no flight.
 */
final class Transaction {
  enum State { OWNING, FILLING, DONE, LOST }

  final Flight flight;
  /** What the store held when ownership was granted; refreshed once on grant. */
  volatile Resolution resolution;
  final LookupOptions options;
  /** The store lock's lease; null for a pass, or when the store could not be asked. */
  final LockLease lease;
  State state = State.OWNING;
  Future<?> timer;
  /** The write, once {@link #state} is FILLING. */
  Fill fill;
  /**
   * The flight of the variant key this transaction's write goes to, claimed before the vary rule
   * that leads lookups there is written; null if none was claimed (the same key, or it was held).
   */
  Flight variantFlight;
  /** The store's lock on {@link #variantFlight}'s key; null if local only. */
  LockLease variantLease;

  Transaction(Flight flight, Resolution resolution, LookupOptions options, LockLease lease) {
    this.flight = flight;
    this.resolution = resolution;
    this.options = options;
    this.lease = lease;
  }

  /** The monitor that guards {@link #state}. */
  Object monitor() {
    return flight != null ? flight : this;
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
