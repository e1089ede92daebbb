package dev.edgecache.internal;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Purges by key, by surrogate key and of everything, hard or soft. A purge is never undone by a
 * fill that began before it: the key's generation moves on first, and an object filled under an
 * older generation is never served ({@link GuardedStorage#resolve}). A store failure is reported
 * and the purge does nothing more.
 */
final class Purges {
  private final CacheStorage storage;
  private final GuardedStorage guarded;
  private final Clock clock;
  private final CacheListener listener;
  private final Predicate<CacheKey> flying;

  /** @param flying whether a fill of a key is under way in this JVM */
  Purges(CacheStorage storage, GuardedStorage guarded, Clock clock, CacheListener listener,
      Predicate<CacheKey> flying) {
    this.storage = storage;
    this.guarded = guarded;
    this.clock = clock;
    this.listener = listener;
    this.flying = flying;
  }

  /** Purges every variant of {@code key}; whether anything stored was removed. */
  boolean purge(CacheKey key) {
    guarded.forgetShared(); // what was shared while the store was away goes with any purge
    boolean removed = purgeKey(key);
    GuardedStorage.notify(() -> listener.purged(key, false));
    return removed;
  }

  private boolean purgeKey(CacheKey key) {
    boolean writing;
    boolean holdsObject = false;
    try {
      writing = writeUnderWay(key);
      Set<StorageKey> stored = storage.keysOf(key);
      if (!writing && stored.isEmpty() && !storage.generations().tracked(key)) {
        // Nothing stored, no write under way and no snapshot of the generation: a write that
        // starts from now on fetches after this purge, so no counter is needed, and none is left
        // behind (an unsafe method to a fresh URL on every request must not grow the store).
        return false;
      }
      holdsObject = holdsObject(key, stored);
    } catch (StorageException e) {
      writing = true; // cannot tell: invalidate as if a write were under way
    }
    // Bump first: a write that began before this purge must not commit visibly after it. A bump
    // that fails is said as such, and the objects are still removed (cascache's Invalidate).
    StorageException bumpFailed = null;
    try {
      storage.generations().bump(key);
    } catch (StorageException e) {
      bumpFailed = e;
      StorageException failure = e;
      GuardedStorage.notify(() -> listener.generationBumpFailed(key, failure));
    }
    try {
      // an object counts, a marker or a vary rule alone does not; a write stopped from
      // committing counts as removed (EdgeCache#purge)
      long removed = storage.purgeAll(key, PurgeReason.INVALIDATION);
      return (removed > 0 && holdsObject) || (writing && bumpFailed == null);
    } catch (StorageException e) {
      if (bumpFailed != null) {
        StorageException bump = bumpFailed;
        GuardedStorage.notify(() -> listener.invalidateOutage(key, bump, e));
      } else {
        guarded.reportFailure("purge", key, e);
      }
      return false;
    }
  }

  /** Whether a write of {@code key} is under way: a flight or an insert here, or the key's lock held. */
  private boolean writeUnderWay(CacheKey key) {
    return flying.test(key) || storage.locks().holder(StorageKey.of(key)).isPresent();
  }

  /** Those of {@code keys} that hold an object with a body now. */
  private Set<CacheKey> withObjects(Set<CacheKey> keys) {
    Set<CacheKey> out = new java.util.HashSet<>();
    for (CacheKey k : keys) {
      if (holdsObject(k, storage.keysOf(k))) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Whether {@code key} or any of its records {@code stored} holds an object with a body, not a
   * marker or a vary rule only. The key itself is asked too: a store's index of a key's records
   * may hold its variants only.
   */
  private boolean holdsObject(CacheKey key, Set<StorageKey> stored) {
    if (isObject(StorageKey.of(key))) {
      return true;
    }
    for (StorageKey sk : stored) {
      if (isObject(sk)) {
        return true;
      }
    }
    return false;
  }

  private boolean isObject(StorageKey sk) {
    StoredObject o = storage.lookup(sk).orElse(null);
    return o != null && o.meta().kind() == ObjectMeta.Kind.OBJECT;
  }

  /** Marks every variant of {@code key} stale; whether any object was marked. */
  boolean softPurge(CacheKey key) {
    guarded.forgetShared(); // what was shared while the store was away goes with any purge
    boolean marked = softPurgeKey(key);
    GuardedStorage.notify(() -> listener.purged(key, true));
    return marked;
  }

  private boolean softPurgeKey(CacheKey key) {
    try {
      long epoch = storage.generations().epoch();
      long generation = storage.generations().bump(key);
      long now = clock.millis();
      boolean marked = false;
      for (StorageKey sk : storage.keysOf(key)) {
        StoredObject o = storage.lookup(sk).orElse(null);
        if (o == null) {
          continue;
        }
        ObjectMeta m = o.meta();
        // Only records that were valid just before the bump carry on, marked stale from now.
        if (m.epoch() != epoch || m.generation() != generation - 1
            || m.kind() == ObjectMeta.Kind.NOT_CACHEABLE) {
          storage.purge(sk, PurgeReason.INVALIDATION);
          continue;
        }
        if (m.kind() == ObjectMeta.Kind.VARY_RULE) {
          // The rule itself does not go stale: its variants must stay reachable.
          storage.updateMeta(sk, o, m.withGeneration(epoch, generation));
        } else if (storage.updateMeta(sk, o, m.withSoftPurge(now, epoch, generation))) {
          marked = true;
        }
      }
      return marked;
    } catch (StorageException e) {
      guarded.reportFailure("soft purge", key, e);
      return false;
    }
  }

  /**
   * Purges every key tagged {@code surrogateKey}. A hard purge takes the tag out of the index; a
   * soft one leaves it, since the stale objects still carry it.
   */
  int purgeTag(String surrogateKey, boolean soft) {
    guarded.forgetShared(); // what was shared while the store was away goes with any purge
    Set<CacheKey> keys;
    Set<CacheKey> held = Set.of();
    try {
      if (!soft) {
        // Which keys hold an object, read before the tag is taken: a store that stamps tags on
        // its objects (Ehcache) counts them as gone from the moment the tag is taken.
        held = withObjects(storage.surrogateKeys().keys(surrogateKey));
      }
      keys = soft ? storage.surrogateKeys().keys(surrogateKey) : storage.surrogateKeys().take(surrogateKey);
    } catch (StorageException e) {
      guarded.reportFailure("surrogate key index", null, e);
      return 0;
    }
    int purged = 0;
    for (CacheKey key : keys) {
      // a key counts if an object under it was removed (or marked), not if only a marker was
      if ((soft ? softPurgeKey(key) : purgeKey(key)) || held.contains(key)) {
        purged++;
      }
    }
    int count = purged;
    GuardedStorage.notify(() -> listener.surrogateKeyPurged(surrogateKey, count, soft));
    return purged;
  }

  /**
   * Purges a scope in one step. The serial moves on first: a fill that read the old serial when
   * it started and stamps its scopes after this purge's bump finds the serial changed and does
   * not commit visibly ({@link GuardedStorage#meta}); one that stamped before it is found out at
   * lookup by its scope's stamp.
   */
  boolean purgeScope(String scope, boolean soft) {
    guarded.forgetShared(); // what was shared while the store was away goes with any purge
    boolean recorded;
    try {
      storage.generations().bumpScopeSerial();
      storage.generations().purgeScope(scope, soft, clock.millis());
      recorded = true;
    } catch (StorageException e) {
      guarded.reportFailure(soft ? "soft purge of a scope" : "purge of a scope", null, e);
      recorded = false;
    }
    if (recorded) {
      GuardedStorage.notify(() -> listener.scopePurged(scope, soft));
    }
    return recorded;
  }

  /**
   * Everything: the epoch moves on, so nothing written before can be served, and the store is
   * cleared. Whether the epoch moved: if not, nothing is purged for sure (the listener is told).
   */
  boolean purgeAll() {
    guarded.forgetShared(); // what was shared while the store was away goes with any purge
    try {
      storage.generations().bumpEpoch();
    } catch (StorageException e) {
      guarded.reportFailure("purge all", null, e);
      return false;
    }
    try {
      storage.clear();
    } catch (StorageException e) {
      // the epoch moved: what is left can never be served, and only takes room until evicted
      guarded.reportFailure("purge all", null, e);
    }
    return true;
  }
}
