package dev.edgecache;

/**
 * Hooks for high-signal events, as cascache's. Implementations must be cheap and must not block
 * or do I/O: they run on the caller's thread, sometimes while a key is being handed over. An
 * exception thrown by a hook is caught and ignored. Every method does nothing by default.
 */
public interface CacheListener {
  /** A transaction lookup of {@code key} waits behind another caller's fill. */
  default void collapsed(CacheKey key) {}

  /** {@code key} was purged ({@code soft}: marked stale rather than removed). */
  default void purged(CacheKey key, boolean soft) {}

  /** A purge of {@code surrogateKey} reached {@code keys} primary keys. */
  default void surrogateKeyPurged(String surrogateKey, int keys, boolean soft) {}

  /** A purge scope was purged (every object in it), hard or soft. */
  default void scopePurged(String scope, boolean soft) {}

  /**
   * The store removed an object of {@code key} on its own account: it was full, or the object
   * was past its last usable moment (an eviction, {@code PurgeReason.EVICTION}).
   */
  default void evicted(CacheKey key) {}

  /** An object of {@code key} was dropped when read. */
  default void selfHealed(CacheKey key, SelfHealReason reason) {}

  /**
   * The store failed during {@code operation}; the cache carried on as if the object were absent
   * or the write skipped.
   */
  default void storageFailed(String operation, CacheKey key, RuntimeException failure) {}

  /**
   * A purge of {@code key} could not move its generation on (cascache's {@code GenBumpError}):
   * its objects were still removed, but a write that began before the purge may yet commit.
   */
  default void generationBumpFailed(CacheKey key, RuntimeException failure) {}

  /**
   * A purge of {@code key} could neither move its generation on nor remove its objects
   * (cascache's {@code InvalidateOutage}): the key may still be served until they expire.
   */
  default void invalidateOutage(CacheKey key, RuntimeException bumpFailure, RuntimeException removeFailure) {}

  /**
   * The generations of {@code count} keys could not be read for a snapshot (cascache's
   * {@code GenSnapshotError}): writes conditional on them are refused.
   */
  default void generationSnapshotFailed(int count, RuntimeException failure) {}

  /**
   * A bulk read or write of {@code requested} keys in the key-value face's {@code namespace}
   * was rejected as a whole (cascache's {@code BulkRejected}), for {@code reason}.
   */
  default void bulkRejected(String namespace, int requested, dev.edgecache.kv.BulkRejectReason reason) {}

  /**
   * The owner of {@code key} neither wrote nor cancelled within the lock timeout and lost it; its
   * waiters were released to go on their own.
   */
  default void lockTimedOut(CacheKey key) {}

  /** The listener that does nothing. */
  CacheListener NONE = new CacheListener() {};
}
