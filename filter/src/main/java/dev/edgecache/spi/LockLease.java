package dev.edgecache.spi;

import java.util.Objects;

/**
 * Proof of holding the lock of one storage key: the owner's token. Only the holder of the token
 * can renew, publish a write tag on, or release the lock.
 *
 * @param key the locked key
 * @param token the owner's unique token
 */
public record LockLease(StorageKey key, String token) {
  public LockLease {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(token, "token");
  }
}
