package dev.edgecache.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Per-key locks with leases, used for request collapsing: the holder of a key's lock is the one
 * caller that fills it, in this JVM or (for a shared store) in the whole cluster. A lock whose
 * lease has run out may be taken over, so a crashed holder never blocks a key for longer than its
 * lease.
 *
 * <p>Implementations must be safe for concurrent use; with a shared store the operations must be
 * atomic across every node (compare-and-swap, never read-then-write).
 */
public interface KeyLocks {
  /**
   * Takes the lock of {@code key} if nobody holds it or the holder's lease has run out.
   *
   * @return the lease, or empty if another holder's lease is live
   * @throws StorageException if the store cannot tell; never reports a lock as granted when it
   *     could not be verified
   */
  Optional<LockLease> tryAcquire(StorageKey key, Duration lease);

  /**
   * Extends a held lease by {@code lease} from now.
   *
   * @return false if the lock is no longer held by this lease (taken over or released)
   */
  boolean renew(LockLease lease, Duration leaseTime);

  /**
   * Records that the holder has started a streaming write with {@code writeTag}, so that waiters
   * (also on other nodes) can follow it through {@link CacheStorage#lookupStreamingWrite}.
   *
   * @return false if the lock is no longer held by this lease
   */
  boolean publishWriteTag(LockLease lease, byte[] writeTag);

  /**
   * Releases the lock if this lease still holds it.
   *
   * @return false if it did not (taken over, or already released)
   */
  boolean release(LockLease lease);

  /** The current holder of {@code key}'s lock, if any lease is live. */
  Optional<LockInfo> holder(StorageKey key);

  /**
   * A stage that completes when the lock of {@code key} changes: released, taken over, or a write
   * tag published. It may complete early (callers re-check) and completes at once if the key is
   * not locked. Waiting on it holds no thread.
   */
  CompletionStage<Void> onChange(StorageKey key);
}
