package dev.edgecache.store.memory;

import dev.edgecache.spi.KeyLocks;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.StorageKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key locks as lease records in a map, changed only by atomic map operations, so they behave as
 * the compare-and-swap records a shared store keeps.
 */
final class MemoryKeyLocks implements KeyLocks {
  private final Clock clock;
  private final ConcurrentHashMap<StorageKey, LockInfo> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<StorageKey, CompletableFuture<Void>> watchers =
      new ConcurrentHashMap<>();

  MemoryKeyLocks(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<LockLease> tryAcquire(StorageKey key, Duration lease) {
    long now = clock.millis();
    LockInfo mine = new LockInfo(UUID.randomUUID().toString(), now + lease.toMillis(), null);
    LockInfo[] previous = new LockInfo[1];
    LockInfo result = held.compute(key, (k, current) -> {
      previous[0] = current;
      return current == null || current.expiresAtMillis() <= now ? mine : current;
    });
    if (result != mine) {
      return Optional.empty();
    }
    if (previous[0] != null) {
      signal(key);
    }
    return Optional.of(new LockLease(key, mine.token()));
  }

  @Override
  public boolean renew(LockLease lease, Duration leaseTime) {
    long expires = clock.millis() + leaseTime.toMillis();
    return replaceIfMine(lease, info -> new LockInfo(info.token(), expires, info.writeTag()));
  }

  @Override
  public boolean publishWriteTag(LockLease lease, byte[] writeTag) {
    byte[] tag = writeTag.clone();
    boolean ok = replaceIfMine(lease, info -> new LockInfo(info.token(), info.expiresAtMillis(), tag));
    if (ok) {
      signal(lease.key());
    }
    return ok;
  }

  @Override
  public boolean release(LockLease lease) {
    boolean[] released = new boolean[1];
    held.computeIfPresent(lease.key(), (k, info) -> {
      if (info.token().equals(lease.token())) {
        released[0] = true;
        return null;
      }
      return info;
    });
    if (released[0]) {
      signal(lease.key());
    }
    return released[0];
  }

  @Override
  public Optional<LockInfo> holder(StorageKey key) {
    LockInfo info = held.get(key);
    return info == null || info.expiresAtMillis() <= clock.millis() ? Optional.empty() : Optional.of(info);
  }

  @Override
  public CompletionStage<Void> onChange(StorageKey key) {
    CompletableFuture<Void> f = watchers.computeIfAbsent(key, k -> new CompletableFuture<>());
    // A change between the caller's check and our registration would be missed: re-check.
    if (holder(key).isEmpty()) {
      signal(key);
    }
    return f;
  }

  private boolean replaceIfMine(LockLease lease, java.util.function.UnaryOperator<LockInfo> change) {
    boolean[] ok = new boolean[1];
    held.computeIfPresent(lease.key(), (k, info) -> {
      if (info.token().equals(lease.token())) {
        ok[0] = true;
        return change.apply(info);
      }
      return info;
    });
    return ok[0];
  }

  private void signal(StorageKey key) {
    CompletableFuture<Void> f = watchers.remove(key);
    if (f != null) {
      f.complete(null);
    }
  }
}
