package dev.edgecache.internal;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.RequestHeaders;
import dev.edgecache.SelfHealReason;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.ScopeState;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The store as the cache uses it: every call in one place that turns a store failure into a
 * report to the listener and a safe outcome (a miss, a local-only lock, nothing written), so that
 * a failing store degrades the cache to passing requests through, never to serving wrong ones.
 * It also validates what it finds against the key's generation and the epoch: an object filled
 * under an older one (a purge ran during its fill) is dropped, never served.
 */
final class GuardedStorage {
  private final CacheStorage storage;
  private final Clock clock;
  private final Duration lockTimeout;
  private final Duration notCacheableTtl;
  private final CacheListener listener;
  /**
   * Where a fill goes when the store cannot open it (its tier is away): kept in this JVM only for
   * as long as the fill runs, so that the requests waiting for it stream it instead of going to
   * the origin each; never looked up, never kept after. Null for none.
   */
  private final CacheStorage sharing;
  /** Whether anything was shared since the store last answered: cleared once it answers again. */
  private volatile boolean shared;

  /**
   * The longest a shared write is served as a hit while the store stays away: a node cannot
   * hear of purges elsewhere meanwhile, so it answers from its own memory only briefly (enough
   * for a crowd that arrives over a second or two), then asks the origin again, once per key.
   */
  static final long SHARED_LIFETIME_MILLIS = 10_000;

  GuardedStorage(CacheStorage storage, Clock clock, Duration lockTimeout, Duration notCacheableTtl,
      CacheListener listener, CacheStorage sharing) {
    this.sharing = sharing;
    this.storage = storage;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
    this.notCacheableTtl = notCacheableTtl;
    this.listener = listener;
  }

  /** The store itself, for what needs no guarding here (its own failures handled by the caller). */
  CacheStorage storage() {
    return storage;
  }

  /**
   * Finds what the store holds for a request: the key's object, or its variant's, validated
   * against the current generation and epoch.
   */
  Resolution resolve(CacheKey key, RequestHeaders headers) {
    long now = clock.millis();
    long epoch;
    long generation;
    long scopeSerial;
    try {
      epoch = storage.generations().epoch();
      generation = storage.generations().stamp(key);
      scopeSerial = storage.generations().scopeSerial();
    } catch (StorageException e) {
      reportFailure("generations", key, e);
      return new Resolution(StorageKey.of(key), sharedHit(StorageKey.of(key), now), false, -1, -1, now, -1);
    }
    if (shared) {
      // the store answers again: what was shared while it was away is never served now
      shared = false;
      forgetShared();
    }
    StorageKey base = StorageKey.of(key);
    StoredObject o = valid(base, storageLookup(base), epoch, generation, scopeSerial, now);
    if (o == null) {
      return new Resolution(base, null, false, epoch, generation, now, scopeSerial);
    }
    switch (o.meta().kind()) {
      case OBJECT:
        return new Resolution(base, o, false, epoch, generation, now, scopeSerial);
      case NOT_CACHEABLE:
        return new Resolution(base, null, true, epoch, generation, now, scopeSerial);
      default:
        StorageKey variant = VaryKeys.variant(key, o.meta().varyRule(), headers);
        StoredObject v = valid(variant, storageLookup(variant), epoch, generation, scopeSerial, now);
        ObjectMeta.Kind kind = v == null ? null : v.meta().kind();
        return new Resolution(variant, kind == ObjectMeta.Kind.OBJECT ? v : null,
            kind == ObjectMeta.Kind.NOT_CACHEABLE, epoch, generation, now, scopeSerial);
    }
  }

  /**
   * The generations a write that holds no lock of the key is stamped with, the key tracked first
   * ({@code Generations#track}): any purge from now on moves its generation on, so the write
   * never commits visibly over it, even where nothing was stored when the purge came.
   */
  Resolution resolveForUnlockedWrite(CacheKey key) {
    try {
      storage.generations().track(key);
    } catch (StorageException e) {
      reportFailure("generations", key, e);
      return new Resolution(StorageKey.of(key), null, false, -1, -1, clock.millis(), -1);
    }
    return resolveGenerationOnly(key);
  }

  Resolution resolveGenerationOnly(CacheKey key) {
    try {
      return new Resolution(StorageKey.of(key), null, false, storage.generations().epoch(),
          storage.generations().stamp(key), clock.millis(), storage.generations().scopeSerial());
    } catch (StorageException e) {
      reportFailure("generations", key, e);
      return new Resolution(StorageKey.of(key), null, false, -1, -1, clock.millis(), -1);
    }
  }

  private StoredObject valid(StorageKey key, StoredObject o, long epoch, long generation, long scopeSerial,
      long now) {
    if (o == null) {
      return null;
    }
    ObjectMeta m = o.meta();
    if (m.epoch() != epoch || m.generation() != generation) {
      // Filled under an older generation: a purge ran during its fill. Never serve it; drop it.
      purgeQuietly(key);
      notify(() -> listener.selfHealed(key.primary(), SelfHealReason.GENERATION_MISMATCH));
      return null;
    }
    if (m.scopeSerial() != scopeSerial && !m.scopeStamps().isEmpty()) {
      o = inScopes(key, o, now);
      if (o == null) {
        return null;
      }
    }
    return o.meta().expiresAtMillis() <= now ? null : o;
  }

  /**
   * The object as its purge scopes leave it, read only once some scope was purged after its fill
   * began: null if one of them was purged (it is dropped), the object marked stale from the
   * earliest soft purge that concerns it, or the object unchanged. A soft mark is not written
   * back: a write here could race a new fill of the key, so each lookup works it out again.
   */
  private StoredObject inScopes(StorageKey key, StoredObject o, long now) {
    ObjectMeta m = o.meta();
    long softAt = -1;
    try {
      for (java.util.Map.Entry<String, Long> stamp : m.scopeStamps().entrySet()) {
        ScopeState s = storage.generations().scope(stamp.getKey());
        if (s.purges(stamp.getValue())) {
          purgeQuietly(key);
          notify(() -> listener.selfHealed(key.primary(), SelfHealReason.SCOPE_PURGED));
          return null;
        }
        if (s.softPurges(stamp.getValue())) {
          long at = s.softPurgedAt(stamp.getValue(), m.createdAtMillis());
          softAt = softAt < 0 ? at : Math.min(softAt, at);
        }
      }
    } catch (StorageException e) {
      reportFailure("purge scopes", key.primary(), e);
      return null;
    }
    if (softAt < 0 || (m.softPurgedAtMillis() >= 0 && m.softPurgedAtMillis() <= softAt)) {
      return o;
    }
    return new StaleMarked(o, m.withSoftPurge(softAt));
  }

  boolean isCurrent(Resolution r) {
    try {
      return r.generation() >= 0
          && storage.generations().epoch() == r.epoch()
          && storage.generations().current(r.key().primary()) == r.generation();
    } catch (StorageException e) {
      reportFailure("generations", r.key().primary(), e);
      return false;
    }
  }

  StoredObject storageLookup(StorageKey key) {
    try {
      return storage.lookup(key).orElse(null);
    } catch (StorageException e) {
      reportFailure("lookup", key.primary(), e);
      return null;
    }
  }

  StoredObject lookupStreamingWrite(StorageKey key, byte[] tag) {
    return lookupStreamingWrite(storage, key, tag);
  }

  /** A write in progress in {@code store} (the store itself, or where a fill is shared), or null. */
  StoredObject lookupStreamingWrite(CacheStorage store, StorageKey key, byte[] tag) {
    try {
      return store.lookupStreamingWrite(key, tag).orElse(null);
    } catch (StorageException e) {
      reportFailure("lookupStreamingWrite", key.primary(), e);
      return null;
    }
  }

  /**
   * Opens a write shared only with the requests waiting for it, while the store cannot take it;
   * null if there is nowhere to share it or it is too large to (the waiters then go on their own).
   */
  MissHandler openShared(StorageKey key, ObjectMeta meta) {
    if (sharing == null) {
      return null;
    }
    try {
      shared = true;
      // fresh at most briefly, never stale: see SHARED_LIFETIME_MILLIS
      ObjectMeta brief = meta.toBuilder()
          .freshForMillis(Math.min(meta.freshForMillis(), meta.initialAgeMillis() + SHARED_LIFETIME_MILLIS))
          .staleWhileRevalidateMillis(0).staleIfErrorMillis(0).keepStaleMillis(0).build();
      return sharing.openMiss(key, brief);
    } catch (ObjectTooLargeException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A write shared while the store is away, committed and still fresh, for a lookup that found
   * the store away too; null if none. Objects of a vary rule are not shared beyond their waiters.
   */
  private StoredObject sharedHit(StorageKey key, long now) {
    if (sharing == null || !shared) {
      return null;
    }
    try {
      StoredObject o = sharing.lookup(key).orElse(null);
      return o != null && o.complete() && o.meta().kind() == ObjectMeta.Kind.OBJECT
          && Freshness.of(o.meta(), now).fresh() ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Drops everything shared: a purge here, or the store answering again. */
  void forgetShared() {
    if (sharing != null) {
      try {
        sharing.clear();
      } catch (RuntimeException e) {
        // a memory store: nothing to fail
      }
    }
  }

  /** Where shared fills are written; null for none. */
  CacheStorage sharing() {
    return sharing;
  }

  void purgeQuietly(StorageKey key) {
    try {
      storage.purge(key, PurgeReason.INVALIDATION);
    } catch (StorageException e) {
      reportFailure("purge", key.primary(), e);
    }
  }

  /** Marker standing for a lock that the store could not be asked for: this JVM collapses alone. */
  static final LockLease LOCAL_ONLY =
      new LockLease(StorageKey.of(CacheKey.of("local")), "local-only");

  /** The store's lock on {@code key}: a lease, {@link #LOCAL_ONLY} if the store failed, or null if held elsewhere. */
  LockLease acquire(StorageKey key) {
    try {
      return storage.locks().tryAcquire(key, lockTimeout).orElse(null);
    } catch (StorageException e) {
      reportFailure("lock", key.primary(), e);
      return LOCAL_ONLY;
    }
  }

  boolean renew(LockLease lease) {
    try {
      return storage.locks().renew(lease, lockTimeout);
    } catch (StorageException e) {
      reportFailure("lock renew", lease.key().primary(), e);
      return true;
    }
  }

  void publishWriteTag(LockLease lease, Fill fill) {
    if (lease == null || fill.writeTag == null) {
      return;
    }
    try {
      storage.locks().publishWriteTag(lease, fill.writeTag);
    } catch (StorageException e) {
      reportFailure("lock publish", lease.key().primary(), e);
    }
  }

  void releaseLease(LockLease lease) {
    if (lease == null || lease == LOCAL_ONLY) {
      return;
    }
    try {
      storage.locks().release(lease);
    } catch (StorageException e) {
      reportFailure("lock release", lease.key().primary(), e);
    }
  }

  void writeNotCacheable(Resolution r) {
    long now = clock.millis();
    long ttl = notCacheableTtl.toMillis();
    ObjectMeta marker = ObjectMeta.builder(ObjectMeta.Kind.NOT_CACHEABLE).createdAtMillis(now).maxAgeMillis(ttl)
        .freshForMillis(ttl).length(0).epoch(r.epoch()).generation(r.generation()).build();
    writeRecord(r.key(), marker);
  }

  /**
   * Stores the primary key's vary rule, lasting at least as long as the variant being written
   * and any variant written before under the same rule.
   */
  void writeVaryRule(CacheKey primary, ObjectMeta variant, Resolution r) throws ObjectTooLargeException {
    StorageKey base = StorageKey.of(primary);
    long now = clock.millis();
    long until = variant.expiresAtMillis();
    StoredObject existing = storageLookup(base);
    if (existing != null) {
      ObjectMeta m = existing.meta();
      if (m.kind() == ObjectMeta.Kind.VARY_RULE && m.varyRule().equals(variant.varyRule())
          && m.epoch() == r.epoch() && m.generation() == r.generation()) {
        if (m.expiresAtMillis() >= until && m.surrogateKeys().containsAll(variant.surrogateKeys())) {
          return;
        }
        until = Math.max(until, m.expiresAtMillis());
      }
    }
    long life = Math.max(0, until - now);
    ObjectMeta rule = ObjectMeta.builder(ObjectMeta.Kind.VARY_RULE).createdAtMillis(now).maxAgeMillis(life)
        .freshForMillis(life).length(0).varyRule(variant.varyRule()).surrogateKeys(variant.surrogateKeys())
        .sensitive(variant.sensitive()).epoch(r.epoch()).generation(r.generation()).build();
    writeRecord(base, rule);
  }

  void writeRecord(StorageKey key, ObjectMeta meta) {
    try (MissHandler miss = storage.openMiss(key, meta)) {
      miss.finish();
    } catch (IOException | StorageException e) {
      reportFailure("write " + meta.kind(), key.primary(),
          e instanceof StorageException se ? se : new StorageException(e.getMessage(), e));
    }
  }

  ObjectMeta objectMeta(WriteOptions o, long now, Resolution r) {
    long maxAge = millis(o.maxAge());
    long freshFor = o.edgeMaxAge().map(GuardedStorage::millis).orElse(maxAge);
    long generation = r.generation();
    java.util.Map<String, Long> stamps = java.util.Map.of();
    if (!o.purgeScopes().isEmpty()) {
      stamps = new java.util.HashMap<>();
      try {
        for (String scope : o.purgeScopes()) {
          stamps.put(scope, storage.generations().stampScope(scope).generation());
        }
        if (storage.generations().scopeSerial() != r.scopeSerial()) {
          // A scope was purged after this fill's lookup, and maybe before the stamps above were
          // read: what the fill fetched may predate that purge, so it never becomes visible.
          generation = -1;
        }
      } catch (StorageException e) {
        reportFailure("purge scopes", r.key().primary(), e);
        generation = -1;
      }
    }
    return ObjectMeta.builder(ObjectMeta.Kind.OBJECT).createdAtMillis(now).initialAgeMillis(millis(o.initialAge()))
        .maxAgeMillis(maxAge).freshForMillis(freshFor).staleWhileRevalidateMillis(millis(o.staleWhileRevalidate()))
        .staleIfErrorMillis(millis(o.staleIfError())).keepStaleMillis(millis(o.keepStale()))
        .length(o.length().orElse(-1)).varyRule(o.varyRule()).surrogateKeys(o.surrogateKeys())
        .userMetadata(o.userMetadata()).sensitive(o.sensitive()).epoch(r.epoch()).generation(generation)
        .scopeSerial(r.scopeSerial()).scopeStamps(stamps).build();
  }

  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Who holds the store's lock on {@code key}, if the store can say; empty if it failed. */
  java.util.Optional<LockInfo> lockHolder(StorageKey key) {
    try {
      return storage.locks().holder(key);
    } catch (StorageException e) {
      reportFailure("lock holder", key.primary(), e);
      return java.util.Optional.empty();
    }
  }

  /** The key's generation to stamp a write with, or -1 if the store failed (nothing then matches it). */
  long generation(CacheKey key) {
    try {
      // a snapshot: a purge from now on moves the counter on, even with nothing stored
      storage.generations().track(key);
      return storage.generations().stamp(key);
    } catch (StorageException e) {
      reportFailure("generation", key, e);
      notify(() -> listener.generationSnapshotFailed(1, e));
      return -1;
    }
  }

  void reportFailure(String operation, CacheKey key, RuntimeException e) {
    notify(() -> listener.storageFailed(operation, key, e));
  }

  /** Runs a listener hook; a hook that throws must not break the cache. */
  static void notify(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException ignored) {
      // documented: hooks' exceptions are ignored
    }
  }
}
