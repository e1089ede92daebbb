package dev.edgecache.store.ehcache;

import dev.edgecache.spi.KeyLocks;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.ehcache.Cache;

/**
 * Key locks as lease records in a cache, changed only by Ehcache's atomic operations: taken with
 * {@code putIfAbsent}, taken over after the lease with {@code replace(key, old, new)}, released
 * with {@code remove(key, old)}. A lock is granted only once it has been read back: an
 * unreachable clustered tier answers {@code putIfAbsent} with null, which alone would look like a
 * granted lock (THREATS 32); the read-back then fails and the caller hears a
 * {@link StorageException}, never a false grant.
 */
final class EhcacheKeyLocks implements KeyLocks {
  private static final int MAX_TRIES = 100;
  private final Cache<String, Blob> locks;
  private final Clock clock;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> watchers = new ConcurrentHashMap<>();

  EhcacheKeyLocks(Cache<String, Blob> locks, Clock clock) {
    this.locks = locks;
    this.clock = clock;
  }

  @Override
  public Optional<LockLease> tryAcquire(StorageKey key, Duration lease) {
    String k = Records.objectKey(key);
    long now = clock.millis();
    String token = UUID.randomUUID().toString();
    Blob mine = Records.encodeLock(new LockInfo(token, now + lease.toMillis(), null));
    for (int i = 0; i < MAX_TRIES; i++) {
      Blob current = locks.get(k);
      if (current == null) {
        if (locks.putIfAbsent(k, mine) == null) {
          return granted(k, key, mine, token);
        }
        continue;
      }
      LockInfo info = decode(current);
      if (info != null && info.expiresAtMillis() > now) {
        return Optional.empty();
      }
      if (locks.replace(k, current, mine)) {
        signal(k);
        return granted(k, key, mine, token);
      }
    }
    throw new StorageException("the lock of " + key + " is too contended");
  }

  private Optional<LockLease> granted(String k, StorageKey key, Blob mine, String token) {
    if (!mine.equals(locks.get(k))) {
      throw new StorageException("the lock of " + key + " could not be read back: not granted");
    }
    return Optional.of(new LockLease(key, token));
  }

  @Override
  public boolean renew(LockLease lease, Duration leaseTime) {
    long expires = clock.millis() + leaseTime.toMillis();
    return change(lease, info -> new LockInfo(info.token(), expires, info.writeTag()));
  }

  @Override
  public boolean publishWriteTag(LockLease lease, byte[] writeTag) {
    byte[] tag = writeTag.clone();
    boolean ok = change(lease, info -> new LockInfo(info.token(), info.expiresAtMillis(), tag));
    if (ok) {
      signal(Records.objectKey(lease.key()));
    }
    return ok;
  }

  @Override
  public boolean release(LockLease lease) {
    boolean ok = whileHeld(lease, info -> null);
    if (ok) {
      signal(Records.objectKey(lease.key()));
    }
    return ok;
  }

  @Override
  public Optional<LockInfo> holder(StorageKey key) {
    Blob current = locks.get(Records.objectKey(key));
    LockInfo info = current == null ? null : decode(current);
    return info == null || info.expiresAtMillis() <= clock.millis() ? Optional.empty() : Optional.of(info);
  }

  @Override
  public CompletionStage<Void> onChange(StorageKey key) {
    String k = Records.objectKey(key);
    CompletableFuture<Void> f = watch(k);
    if (holder(key).isEmpty()) {
      signal(k);
    }
    return f;
  }

  /**
   * Tells this node's watchers that a lock changed. Changes made by other nodes arrive here as
   * cache events (see {@link EhcacheStorage}); lease expiry is caught by the core's own timer.
   */
  /** Completes at the next change of the lock cache's record {@code k} seen by this node. */
  CompletableFuture<Void> watch(String k) {
    return watchers.computeIfAbsent(k, x -> new CompletableFuture<>());
  }

  /** Tells every watcher of this node to look again, as after missed events. */
  void signalAll() {
    for (String k : watchers.keySet()) {
      signal(k);
    }
  }

  void signal(String k) {
    CompletableFuture<Void> f = watchers.remove(k);
    if (f != null) {
      f.complete(null);
    }
  }

  private boolean change(LockLease lease, UnaryOperator<LockInfo> update) {
    return whileHeld(lease, info -> update.apply(info));
  }

  /**
   * Replaces the lock record by {@code next} of it (null removes it), by compare-and-swap, as long
   * as {@code lease} still holds the lock.
   *
   * @return false if the lease no longer holds it
   */
  private boolean whileHeld(LockLease lease, java.util.function.Function<LockInfo, LockInfo> next) {
    String k = Records.objectKey(lease.key());
    for (int i = 0; i < MAX_TRIES; i++) {
      Blob current = locks.get(k);
      LockInfo info = current == null ? null : decode(current);
      if (info == null || !info.token().equals(lease.token())) {
        return false;
      }
      LockInfo updated = next.apply(info);
      boolean done = updated == null ? locks.remove(k, current)
          : locks.replace(k, current, Records.encodeLock(updated));
      if (done) {
        return true;
      }
    }
    return false;
  }

  private static LockInfo decode(Blob b) {
    try {
      return Records.decodeLock(b);
    } catch (IllegalArgumentException e) {
      return null; // a damaged lock record counts as expired
    }
  }
}
