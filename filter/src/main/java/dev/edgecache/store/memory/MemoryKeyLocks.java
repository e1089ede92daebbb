package dev.edgecache.store.memory;

import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.support.LeaseLocks;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key locks as lease records in a map, changed only by the map's atomic operations, so that they
 * behave as the compare-and-swap records a shared store keeps ({@link LeaseLocks}). A swap
 * compares the record it read by identity.
 */
final class MemoryKeyLocks extends LeaseLocks<LockInfo> {
  private final ConcurrentHashMap<StorageKey, LockInfo> held = new ConcurrentHashMap<>();

  MemoryKeyLocks(Clock clock) {
    super(clock);
  }

  @Override
  protected Read<LockInfo> read(StorageKey key) {
    LockInfo info = held.get(key);
    return info == null ? null : new Read<>(info, info);
  }

  @Override
  protected boolean create(StorageKey key, LockInfo info) {
    return held.putIfAbsent(key, info) == null;
  }

  @Override
  protected boolean swap(StorageKey key, LockInfo expected, LockInfo next) {
    // LockInfo holds an array: equals compares it by identity, as a swap here must
    return next == null ? held.remove(key, expected) : held.replace(key, expected, next);
  }
}
