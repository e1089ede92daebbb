package dev.edgecache.spi.support;

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

/**
 * Key locks as lease records changed only by compare-and-swap, whatever holds the records: a
 * lock is taken by creating its record, taken over once its lease has run out by swapping the
 * expired record for a new one, changed (renewed, given a write tag) and released by swapping or
 * removing the record while it is still the holder's. A store supplies the three atomic
 * operations on its records ({@link #read}, {@link #create}, {@link #swap}); the lease rules and
 * the watchers of changes in this JVM are here, once.
 *
 * @param <V> what the store compares when it swaps: the record as it read it
 */
public abstract class LeaseLocks<V> implements KeyLocks {
  /** A lock record as read: its information, and the value a swap compares against. */
  public record Read<V>(LockInfo info, V version) {}

  private static final int MAX_TRIES = 100;
  /**
   * The longest a compare-and-swap loop goes on, here and in a store's other loops: a tier that
   * answers reads with nothing and writes with "present" (as while it reconnects) must not hold a
   * request in the loop. An uncontended loop settles in a few round trips; 2 s made the slowest
   * request of a cluster outage wait 2 s.
   */
  public static final long MAX_LOOP_NANOS = 500_000_000L;
  private final Clock clock;
  private final ConcurrentHashMap<StorageKey, CompletableFuture<Void>> watchers = new ConcurrentHashMap<>();

  protected LeaseLocks(Clock clock) {
    this.clock = clock;
  }

  /** The key's record, or null if there is none. A damaged record reads with a null info. */
  protected abstract Read<V> read(StorageKey key);

  /** Creates the key's record if there is none; whether it did. */
  protected abstract boolean create(StorageKey key, LockInfo info);

  /** Replaces the record read as {@code expected} by {@code next} (null removes it); whether it did. */
  protected abstract boolean swap(StorageKey key, V expected, LockInfo next);

  /**
   * Called once a lock was taken, before it is granted: a store whose writes can seem to succeed
   * when they did not (an unreachable clustered tier) reads the record back here and throws.
   */
  protected void confirm(StorageKey key, LockInfo granted) {}

  @Override
  public Optional<LockLease> tryAcquire(StorageKey key, Duration lease) {
    long now = clock.millis();
    LockInfo mine = new LockInfo(UUID.randomUUID().toString(), now + lease.toMillis(), null);
    for (long i = 0, until = System.nanoTime() + MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Read<V> current = read(key);
      if (current == null) {
        if (create(key, mine)) {
          confirm(key, mine);
          return Optional.of(new LockLease(key, mine.token()));
        }
        continue;
      }
      LockInfo info = current.info();
      if (info != null && info.expiresAtMillis() > now) {
        return Optional.empty();
      }
      // an expired (or damaged) lock is taken over
      if (swap(key, current.version(), mine)) {
        signal(key);
        confirm(key, mine);
        return Optional.of(new LockLease(key, mine.token()));
      }
    }
    throw new StorageException("the lock of " + key + " is too contended");
  }

  @Override
  public boolean renew(LockLease lease, Duration leaseTime) {
    long expires = clock.millis() + leaseTime.toMillis();
    return whileHeld(lease, info -> new LockInfo(info.token(), expires, info.writeTag()));
  }

  @Override
  public boolean publishWriteTag(LockLease lease, byte[] writeTag) {
    byte[] tag = writeTag.clone();
    boolean ok = whileHeld(lease, info -> new LockInfo(info.token(), info.expiresAtMillis(), tag));
    if (ok) {
      signal(lease.key());
    }
    return ok;
  }

  @Override
  public boolean release(LockLease lease) {
    boolean ok = whileHeld(lease, info -> null);
    if (ok) {
      signal(lease.key());
    }
    return ok;
  }

  @Override
  public Optional<LockInfo> holder(StorageKey key) {
    Read<V> current = read(key);
    LockInfo info = current == null ? null : current.info();
    return info == null || info.expiresAtMillis() <= clock.millis() ? Optional.empty() : Optional.of(info);
  }

  @Override
  public CompletionStage<Void> onChange(StorageKey key) {
    CompletableFuture<Void> f = watchers.computeIfAbsent(key, k -> new CompletableFuture<>());
    // A change between the caller's check and this registration would be missed: look again.
    if (holder(key).isEmpty()) {
      signal(key);
    }
    return f;
  }

  /** Tells this JVM's watchers of {@code key} that its lock changed (a change elsewhere, say). */
  public void signal(StorageKey key) {
    CompletableFuture<Void> f = watchers.remove(key);
    if (f != null) {
      f.complete(null);
    }
  }

  /** Tells every watcher in this JVM to look again, as after changes it may have missed. */
  public void signalAll() {
    for (StorageKey k : watchers.keySet()) {
      signal(k);
    }
  }

  /**
   * Replaces the record by {@code next} of it (null removes it), by compare-and-swap, as long as
   * {@code lease} still holds the lock; false if it no longer does.
   */
  private boolean whileHeld(LockLease lease, UnaryOperator<LockInfo> next) {
    for (long i = 0, until = System.nanoTime() + MAX_LOOP_NANOS; i < MAX_TRIES && System.nanoTime() < until; i++) {
      Read<V> current = read(lease.key());
      LockInfo info = current == null ? null : current.info();
      if (info == null || !info.token().equals(lease.token())) {
        return false;
      }
      if (swap(lease.key(), current.version(), next.apply(info))) {
        return true;
      }
    }
    return false;
  }
}
