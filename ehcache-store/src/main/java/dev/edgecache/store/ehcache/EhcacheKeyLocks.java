package dev.edgecache.store.ehcache;

import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.support.LeaseLocks;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.ehcache.Cache;

/**
 * Key locks as lease records in a cache ({@link LeaseLocks}), changed only by Ehcache's atomic
 * operations: taken with {@code putIfAbsent}, taken over after the lease with
 * {@code replace(key, old, new)}, released with {@code remove(key, old)}. A lock is granted only
 * once it has been read back: an unreachable clustered tier answers {@code putIfAbsent} with null,
 * which alone would look like a granted lock (THREATS 32); the read-back then fails and the
 * caller hears a {@link StorageException}, never a false grant.
 *
 * <p>Changes made by other nodes arrive as cache events on the lock cache ({@link #signal(String)});
 * they wake this JVM's watchers of locks, and of the progress records of writes that the lock
 * cache holds too ({@link #watch}).
 */
final class EhcacheKeyLocks extends LeaseLocks<Blob> {
  private final Cache<String, Blob> locks;
  /** Watchers of any record of the lock cache, by its key: progress records of writes. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> watchers = new ConcurrentHashMap<>();

  EhcacheKeyLocks(Cache<String, Blob> locks, Clock clock) {
    super(clock);
    this.locks = locks;
  }

  @Override
  protected Read<Blob> read(StorageKey key) {
    Blob current = locks.get(Records.objectKey(key));
    return current == null ? null : new Read<>(decode(current), current);
  }

  @Override
  protected boolean create(StorageKey key, LockInfo info) {
    return locks.putIfAbsent(Records.objectKey(key), Records.encodeLock(info)) == null;
  }

  @Override
  protected boolean swap(StorageKey key, Blob expected, LockInfo next) {
    String k = Records.objectKey(key);
    return next == null ? locks.remove(k, expected) : locks.replace(k, expected, Records.encodeLock(next));
  }

  @Override
  protected void confirm(StorageKey key, LockInfo granted) {
    Blob back = locks.get(Records.objectKey(key));
    LockInfo info = back == null ? null : decode(back);
    if (info == null || !info.token().equals(granted.token())) {
      throw new StorageException("the lock of " + key + " could not be read back: not granted");
    }
  }

  /** Completes at the next change of the lock cache's record {@code k} seen by this node. */
  CompletableFuture<Void> watch(String k) {
    return watchers.computeIfAbsent(k, x -> new CompletableFuture<>());
  }

  /** A change of the lock cache's record {@code k}: a lock's, or a write's progress. */
  void signal(String k) {
    CompletableFuture<Void> f = watchers.remove(k);
    if (f != null) {
      f.complete(null);
    }
    if (!RemoteWrites.isProgressKey(k)) {
      try {
        signal(Records.storageKey(k));
      } catch (IllegalArgumentException | IndexOutOfBoundsException notAnObjectKey) {
        // a record of some other kind: nobody watches it as a lock
      }
    }
  }

  @Override
  public void signalAll() {
    for (String k : watchers.keySet()) {
      signal(k);
    }
    super.signalAll();
  }

  private static LockInfo decode(Blob b) {
    try {
      return Records.decodeLock(b);
    } catch (IllegalArgumentException e) {
      return null; // a damaged lock record counts as expired
    }
  }
}
