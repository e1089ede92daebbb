package dev.edgecache.internal;

import dev.edgecache.CacheEntry;
import dev.edgecache.LookupOptions;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.LockLease;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the owner of a key does with it through its entry and its write: begin the write, end it,
 * update or give up the object, release the key, keep the lock. The entries and writes of the
 * core hold this, not the façade, so that no part of the core calls back into the class that
 * made it; {@link Fills} carries the moves out, through the lock table.
 */
interface OwnerMoves {
  /** Starts the owner's write: the key's waiters are released to stream it. */
  Fill beginFill(Transaction t, WriteOptions options);

  /** The owner's write ended, committed or not: the key's flight ends with it. */
  void fillEnded(Fill fill, boolean committed);

  /** Replaces the found object's metadata (a revalidation); the key is released. */
  void update(Transaction t, WriteOptions options);

  /** Gives the key up without writing, as {@code how} says. */
  void cancel(Transaction t, Cancel how);

  /** Releases the key at the entry's close. */
  void release(Transaction t);

  /** Renews the store lock of a write that goes on; whether it is still held. */
  boolean renew(LockLease lease);

  /** How long an owner may hold the key without a sign of life. */
  long lockTimeoutMillis();

  /** The cache's clock. */
  Clock clock();

  /** The owner's own read of its write as it goes ({@code insertAndStreamBack}). */
  CacheEntry readBack(Fill fill, LookupOptions options);

  /** Where a non-blocking read of a body waits for a store that cannot follow a write without it. */
  Executor blockingWork();

  /** How an owner gives its key up without writing. */
  enum Cancel {
    /** The next waiter owns the key. */
    HAND_OVER,
    /** Every waiter goes on its own, and a hit-for-miss marker is left. */
    NOT_CACHEABLE,
    /** Every waiter goes on its own; nothing is remembered. */
    UNSHARED
  }
}
