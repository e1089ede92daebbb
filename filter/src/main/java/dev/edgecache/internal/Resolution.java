package dev.edgecache.internal;

import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;

/**
 * What a lookup found in the store for a request.
 *
 * @param key the storage key the request maps to: the variant key when the primary key has a
 *     vary rule
 * @param object the valid object under it (current generation and epoch, not past its last usable
 *     moment), or null
 * @param notCacheable whether a hit-for-miss marker is there instead
 * @param epoch the store's epoch when the lookup ran
 * @param generation the primary key's generation when the lookup ran; -1 if unknown (the store
 *     failed), which makes any fill from this lookup invisible
 * @param nowMillis the cache's clock when the lookup ran, against which the object was validated
 * @param scopeSerial the store's scope serial when the lookup ran: a fill from this lookup
 *     commits visibly only if no scope was purged before it stamped its scopes
 */
record Resolution(StorageKey key, StoredObject object, boolean notCacheable, long epoch,
    long generation, long nowMillis, long scopeSerial) {

  /** This resolution with nothing found under its key. */
  Resolution withoutObject() {
    return new Resolution(key, null, false, epoch, generation, nowMillis, scopeSerial);
  }
}
