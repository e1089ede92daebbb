package dev.edgecache.store.ehcache;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.KeyLocks;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import dev.edgecache.spi.SurrogateKeyIndex;
import dev.edgecache.spi.support.StoredView;
import dev.edgecache.spi.support.WriteTags;
import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.ResourcePool;
import org.ehcache.config.ResourceType;
import org.ehcache.config.SizedResourcePool;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.event.EventFiring;
import org.ehcache.event.EventOrdering;
import org.ehcache.event.EventType;
import org.ehcache.xml.XmlConfiguration;
import org.ehcache.config.builders.CacheManagerBuilder;

/**
 * The storage SPI on Ehcache 3. Bodies are cut into chunks of {@value #CHUNK_SIZE} bytes, each a
 * cache entry of its own, so no body needs to fit in the heap: a writer holds one chunk, a reader
 * one. The caches, by name (an {@code ehcache.xml} must declare them with {@code String} keys and
 * {@link Blob} values serialised by {@link BlobSerializer}):
 *
 * <table>
 *   <caption>caches</caption>
 *   <tr><th>name</th><th>holds</th><th>tiers by default</th></tr>
 *   <tr><td>{@code edge-objects}</td><td>object records: metadata, write id, chunk count</td><td>heap, off-heap, disk</td></tr>
 *   <tr><td>{@code edge-chunks}</td><td>body chunks</td><td>heap, off-heap, disk</td></tr>
 *   <tr><td>{@code edge-volatile-objects}, {@code edge-volatile-chunks}</td><td>the same for sensitive objects</td><td>heap, off-heap: never disk nor cluster</td></tr>
 *   <tr><td>{@code edge-locks}</td><td>key locks (lease records)</td><td>heap</td></tr>
 *   <tr><td>{@code edge-counters}</td><td>generations and the epoch</td><td>heap</td></tr>
 *   <tr><td>{@code edge-index}</td><td>surrogate keys to primary keys, and primary keys to their variants</td><td>heap, off-heap</td></tr>
 * </table>
 *
 * <p>Records expire when no rule can serve them any more (their first 8 bytes say when). A chunk
 * evicted while its object record stays is found at lookup: the object is dropped (self-heal) and
 * the lookup misses, so a truncated body is never served. Streaming partial writes: readers in
 * this JVM follow the writer through its in-memory state, without polling.
 *
 * <p>The disk tier is not persistent: a disk tier left by a previous run is cleaned when the store
 * starts, since objects written under another process's generations could not be trusted.
 *
 * <p>Thread-safe.
 */
public final class EhcacheStorage implements CacheStorage {
  /** Body bytes per chunk entry. */
  public static final int CHUNK_SIZE = 64 * 1024;
  /** The pause between attempts to build a new CacheManager when the old one has lost its cluster. */
  static final long RECONNECT_PAUSE_MILLIS = 1_000;
  /**
   * The connection timeout of each attempt at a new manager after the cluster was lost. A connect
   * begun while the server is down waits out its whole timeout even once the server is back (20 s
   * by default, measured in the outage test), so attempts are short and follow one another.
   */
  static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** How often a background probe tries a failed tier again; requests never do. */
  static final long PROBE_INTERVAL_MILLIS = 250;

  static final String OBJECTS = "edge-objects";
  static final String CHUNKS = "edge-chunks";
  static final String VOLATILE_OBJECTS = "edge-volatile-objects";
  static final String VOLATILE_CHUNKS = "edge-volatile-chunks";
  static final String LOCKS = "edge-locks";
  static final String COUNTERS = "edge-counters";
  static final String INDEX = "edge-index";

  private final ManagerSlot manager;
  private final boolean ownsManager;
  private final Clock clock;
  /** Whether the chunks live on a clustered tier, where every question is a round trip. */
  private final boolean clusteredChunks;
  private final long maxObjectSize;
  /** Object records Ehcache evicted to make room in this JVM's tiers. */
  private final java.util.concurrent.atomic.LongAdder evictions = new java.util.concurrent.atomic.LongAdder();
  private final Cache<String, Blob> objects;
  private final Cache<String, Blob> chunks;
  private final Cache<String, Blob> volatileObjects;
  private final Cache<String, Blob> volatileChunks;
  private final Cache<String, Blob> indexCache;
  private final CasSets index;
  /** Lock records, and the progress records of writes in progress ({@code w.<write id>}). */
  private final Cache<String, Blob> lockCache;
  private final EhcacheKeyLocks locks;
  private final EhcacheGenerations generations;
  private final RemoteWrites remoteWrites;
  private final SurrogateKeyIndex surrogateKeys;
  /** Writes in progress in this JVM, by write id. */
  private final StoreCaches caches;
  private final ConcurrentHashMap<Long, ChunkedWrite> writes = new ConcurrentHashMap<>();
  /** Hit counts of objects read in this JVM, by object key and write id. */
  private final ConcurrentHashMap<String, AtomicLong> hits = new ConcurrentHashMap<>();
  /** Write ids: a random node part, so that ids from different nodes never meet, and a counter. */
  private final long node = new SecureRandom().nextLong() & 0xffff_ffff_0000_0000L;
  private final AtomicLong writeCounter = new AtomicLong();
  private volatile java.util.function.BiConsumer<StorageKey, String> selfHealHook = (k, why) -> { };
  private final Breaker breaker;

  /**
   * @param factory builds a replacement for a manager that has lost its cluster; null for none
   */
  private EhcacheStorage(CacheManager manager, boolean ownsManager, java.util.function.Supplier<CacheManager> factory,
      Clock clock, long maxObjectSize, Duration readTimeout, int giveUpAfter) {
    this.manager = new ManagerSlot(manager, factory, RECONNECT_PAUSE_MILLIS, giveUpAfter);
    // The probe writes one entry straight to the current manager, past the breaker: a clustered
    // read that times out answers as a miss (null), only a write fails.
    this.breaker = new Breaker(PROBE_INTERVAL_MILLIS,
        () -> lookUp(this.manager.current(), COUNTERS).put("probe", Records.counter(1)));
    this.ownsManager = ownsManager;
    this.clock = clock;
    this.maxObjectSize = keepableObjectSize(lookUp(manager, CHUNKS), maxObjectSize);
    this.objects = cache(OBJECTS);
    this.chunks = cache(CHUNKS);
    this.clusteredChunks = hasClusteredTier(lookUp(manager, CHUNKS));
    if (hasClusteredTier(lookUp(manager, OBJECTS))) {
      // Hits come from the heap tiers in front of the server: the server is watched, so that
      // they stop within a probe interval of losing it (and with it, news of purges elsewhere).
      breaker.watch();
      if (readTimeout != null) {
        breaker.tripOnReadsAsSlowAs(readTimeout);
      }
    }
    for (String name : java.util.List.of(VOLATILE_OBJECTS, VOLATILE_CHUNKS)) {
      // Sensitive objects (WriteOptions.sensitive) live in this JVM's memory only: a
      // configuration that would put them on a disk or a server is refused, not followed.
      Set<ResourceType<?>> tiers = lookUp(manager, name).getRuntimeConfiguration().getResourcePools()
          .getResourceTypeSet();
      for (ResourceType<?> tier : tiers) {
        if (tier != ResourceType.Core.HEAP && tier != ResourceType.Core.OFFHEAP) {
          throw new IllegalArgumentException("the Ehcache configuration puts cache '" + name + "' on a "
              + tier + " tier; it holds sensitive objects, which never leave this JVM's memory: give it"
              + " heap and off-heap tiers only");
        }
      }
    }
    this.volatileObjects = cache(VOLATILE_OBJECTS);
    this.volatileChunks = cache(VOLATILE_CHUNKS);
    this.indexCache = cache(INDEX);
    this.index = new CasSets(indexCache);
    this.lockCache = cache(LOCKS);
    this.caches = new StoreCaches(objects, chunks, volatileObjects, volatileChunks, lockCache, index);
    this.locks = new EhcacheKeyLocks(lockCache, clock);
    this.generations = new EhcacheGenerations(cache(COUNTERS));
    // Lock changes made by other nodes reach this node's waiters as cache events, on every
    // manager the store uses.
    this.manager.eachManager(m -> lookUp(m, LOCKS).getRuntimeConfiguration()
        .registerCacheEventListener(event -> locks.signal(event.getKey()), EventOrdering.UNORDERED,
            EventFiring.ASYNCHRONOUS, EnumSet.allOf(EventType.class)));
    // Once every cache above is bound to a new manager: calls go through again, and every
    // watcher looks again, having missed the events of the gap.
    this.manager.eachManager(m -> {
      breaker.reset();
      locks.signalAll();
    });
    breaker.onTrip((failure, tripsInARow) -> {
      this.manager.tripped(failure, tripsInARow);
      // Waiters that follow an owner on another node hear of it through lock events, which stop
      // with the tier: they look again now, find the tier down, and go to the origin on their own.
      locks.signalAll();
    });
    this.manager.eachManager(m -> lookUp(m, OBJECTS).getRuntimeConfiguration().registerCacheEventListener(
        event -> evictions.increment(), EventOrdering.UNORDERED, EventFiring.ASYNCHRONOUS,
        EnumSet.of(EventType.EVICTED)));
    this.remoteWrites = new RemoteWrites(objects, lockCache, locks);
    this.surrogateKeys = new SurrogateKeyIndex() {
      @Override
      public Set<CacheKey> keys(String surrogateKey) {
        Set<String> keys = index.get("t." + surrogateKey);
        if (keys.isEmpty() && generations.currentTag(surrogateKey) != EhcacheGenerations.LOST) {
          // The key has been written with, yet its set is empty: evicted, maybe. What it held
          // cannot be marked stale, so it counts as purged (fail safe): a miss, never a purge lost.
          generations.bumpTag(surrogateKey);
        }
        return primaries(keys);
      }

      @Override
      public Set<CacheKey> take(String surrogateKey) {
        // Bumped first: an object stamped before is purged even if its index set was evicted.
        generations.bumpTag(surrogateKey);
        return primaries(index.take("t." + surrogateKey));
      }
    };
  }

  /** The guarded cache {@code name}, following the manager when it is replaced. */
  private Cache<String, Blob> cache(String name) {
    Breaker.Guard guard = breaker.guard(name, lookUp(manager.current(), name));
    manager.eachManager(m -> guard.bind(lookUp(m, name)));
    return guard;
  }

  /** Each tag's stamp: the one {@code known} already has, else the tag's counter now (made if absent). */
  private Map<String, Long> stampTags(Set<String> tags, Map<String, Long> known) {
    Map<String, Long> stamps = new java.util.HashMap<>();
    for (String tag : tags) {
      Long k = known.get(tag);
      stamps.put(tag, k != null ? k : generations.stampTag(tag));
    }
    return stamps;
  }

  /**
   * The largest object the chunk cache can keep whole: {@code configured}, but with a disk tier at
   * most 40% of it. Ehcache cuts a disk tier into segments that fill and evict on their own, so a
   * large object's chunks can lose one of them while its record stays: the store would say
   * {@code stored} for an object it cannot serve. Measured here: an object of N MiB needs a disk
   * tier of about 2.5 N MiB.
   */
  private static long keepableObjectSize(Cache<String, Blob> chunks, long configured) {
    ResourcePool disk = chunks.getRuntimeConfiguration().getResourcePools().getPoolForResource(ResourceType.Core.DISK);
    if (!(disk instanceof SizedResourcePool sized) || !(sized.getUnit() instanceof MemoryUnit unit)) {
      return configured;
    }
    long keepable = unit.toBytes(sized.getSize()) * 2 / 5;
    if (keepable < configured) {
      Logger.getLogger(EhcacheStorage.class.getName()).warning(() ->
          "objects over " + keepable / (1024 * 1024) + " MiB are not stored: a disk tier of "
              + unit.toBytes(sized.getSize()) / (1024 * 1024) + " MiB keeps objects whole up to 40% of its size;"
              + " raise diskMb (--disk-mb) to about 2.5 times the largest object to store larger ones");
      return keepable;
    }
    return configured;
  }

  /** Whether a cache has a tier outside this JVM (a resource type that is not heap, off-heap or disk). */
  private static boolean hasClusteredTier(Cache<String, Blob> c) {
    return c.getRuntimeConfiguration().getResourcePools().getResourceTypeSet().stream()
        .anyMatch(t -> !(t instanceof ResourceType.Core));
  }

  private static Cache<String, Blob> lookUp(CacheManager m, String name) {
    Cache<String, Blob> c = m.getCache(name, String.class, Blob.class);
    if (c == null) {
      throw new IllegalArgumentException("the Ehcache configuration has no cache '" + name
          + "' with String keys and " + Blob.class.getName() + " values");
    }
    return c;
  }

  /** Whether the store counts as available now: no failure of its tiers since a probe last reached them. */
  public boolean available() {
    return !breaker.open();
  }

  @Override
  public dev.edgecache.spi.StoreFigures figures() {
    return new dev.edgecache.spi.StoreFigures(clusteredChunks ? "ehcache-cluster" : "ehcache", available(), -1, -1, -1,
        clusteredChunks ? -1 : evictions.sum());
  }

  /** For tests of an outage: completes once the store's tier answers, at once if it does now. */
  java.util.concurrent.CompletableFuture<Void> whenAvailable() {
    return breaker.whenClosed();
  }

  /** For tests: the followers of other nodes' writes. */
  RemoteWrites remoteWrites() {
    return remoteWrites;
  }

  /** For tests: whether the index still holds the set of {@code surrogateKey} (it may be evicted). */
  boolean indexHolds(String surrogateKey) {
    return indexCache.get("t." + surrogateKey) != null;
  }

  /** For tests: how many operations have reached the tiers, to show who waits on them. */
  long tierAttempts() {
    return breaker.attempts();
  }

  private static Set<CacheKey> primaries(Set<String> keys) {
    Set<CacheKey> out = new HashSet<>();
    for (String k : keys) {
      try {
        out.add(Records.primary(k));
      } catch (IllegalArgumentException e) {
        // a damaged member is skipped
      }
    }
    return out;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Lets the core hear of objects dropped because a chunk was missing. */
  @Override
  public void evictionHook(java.util.function.Consumer<StorageKey> hook) {
    Objects.requireNonNull(hook, "hook");
    // Ehcache's own evictions and expiries of object records, in this JVM's tiers (a clustered
    // tier's happen on the server, which tells no client of them)
    manager.eachManager(m -> {
      for (String name : java.util.List.of(OBJECTS, VOLATILE_OBJECTS)) {
        lookUp(m, name).getRuntimeConfiguration().registerCacheEventListener(event -> {
          if (event.getKey().indexOf('.') > 0) {
            hook.accept(Records.storageKey(event.getKey()));
          }
        }, EventOrdering.UNORDERED, EventFiring.ASYNCHRONOUS, EnumSet.of(EventType.EVICTED, EventType.EXPIRED));
      }
    });
  }

  @Override
  public void selfHealHook(java.util.function.BiConsumer<StorageKey, String> hook) {
    this.selfHealHook = Objects.requireNonNull(hook, "hook");
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<StoredObject> lookup(StorageKey key) {
    return lookupCommitted(key, java.util.OptionalLong.empty());
  }

  /** The key's committed object, if it was committed by write {@code writeId} (empty: by any). */
  private Optional<StoredObject> lookupCommitted(StorageKey key, java.util.OptionalLong writeId) {
    String k = Records.objectKey(key);
    try {
      Blob record = objects.get(k);
      boolean sensitive = false;
      if (record == null) {
        record = volatileObjects.get(k);
        sensitive = true;
      }
      if (record == null) {
        return Optional.empty();
      }
      Records.StoredRecord r;
      try {
        r = Records.decodeObject(record);
      } catch (IllegalArgumentException damaged) {
        drop(key, k, "damaged record");
        return Optional.empty();
      }
      if (r.meta().expiresAtMillis() <= clock.millis() || (writeId.isPresent() && r.writeId() != writeId.getAsLong())) {
        return Optional.empty();
      }
      for (Map.Entry<String, Long> stamp : r.tagStamps().entrySet()) {
        if (generations.currentTag(stamp.getKey()) != stamp.getValue()) {
          // purged by that surrogate key since it was written (or its counter was evicted)
          purgeRecord(key, k, r, sensitive);
          return Optional.empty();
        }
      }
      Cache<String, Blob> body = sensitive ? volatileChunks : chunks;
      // In one JVM, asking for each chunk is cheap, and an object whose chunk was evicted under
      // pressure while its record stayed is a miss, never a truncated body. On a cluster every
      // ask is a round trip to the server: the record says what the write committed, and a chunk
      // found missing while reading ends that response short and removes the object.
      if (!clusteredChunks || sensitive) {
        for (int i = 0; i < r.chunks(); i++) {
          if (!body.containsKey(Records.chunkKey(k, r.writeId(), i))) {
            purgeRecord(key, k, r, sensitive);
            selfHealHook.accept(key, "chunk " + i + " of " + r.chunks() + " is missing");
            return Optional.empty();
          }
        }
      }
      if (hits.size() > 100_000) {
        hits.clear(); // counts are advisory; the map must stay bounded
      }
      Records.StoredRecord found = r;
      boolean inJvmOnly = sensitive;
      AtomicLong hitCount = hits.computeIfAbsent(k + "/" + r.writeId(), x -> new AtomicLong());
      java.util.function.IntConsumer chunkMissing = index -> {
        try {
          purgeRecord(key, k, found, inJvmOnly);
        } catch (RuntimeException e) {
          // the store is failing: the next lookup finds out for itself
        }
        selfHealHook.accept(key, "chunk " + index + " of " + found.chunks() + " is missing");
      };
      return Optional.of(new StoredView(r.meta(), r.writeId(), () -> true, hitCount,
          () -> new CommittedBody(r, body, k, chunkMissing)));
    } catch (RuntimeException e) {
      throw storageFailure("lookup", e);
    }
  }

  @Override
  public Optional<StoredObject> lookupStreamingWrite(StorageKey key, byte[] writeTag) {
    java.util.OptionalLong tagged = WriteTags.idOf(writeTag);
    if (tagged.isEmpty()) {
      return Optional.empty();
    }
    long id = tagged.getAsLong();
    ChunkedWrite w = writes.get(id);
    if (w != null && w.key.equals(key)) {
      return Optional.of(w.view());
    }
    Optional<StoredObject> committed = lookupCommitted(key, tagged);
    if (committed.isPresent()) {
      return committed;
    }
    // A write on another node: follow its progress record.
    try {
      Blob progress = lockCache.get(RemoteWrites.progressKey(id));
      if (progress == null) {
        return Optional.empty();
      }
      Records.StoredRecord r = Records.decodeObject(progress);
      String objectKey = Records.objectKey(key);
      // hits of a write in progress are not counted
      return Optional.of(new StoredView(r.meta(), id, () -> false, null, () -> remoteWrites.reader(objectKey, id, chunks)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw storageFailure("lookupStreamingWrite", e);
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public MissHandler openMiss(StorageKey key, ObjectMeta meta) throws ObjectTooLargeException {
    if (meta.length() > maxObjectSize) {
      throw new ObjectTooLargeException(maxObjectSize);
    }
    Map<String, Long> tagStamps;
    try {
      // Stamped, then tagged, as the write starts: a purge by tag during the fill either bumps
      // the stamp or finds the key in the index.
      tagStamps = stampTags(meta.surrogateKeys(), Map.of());
      for (String tag : meta.surrogateKeys()) {
        index.add("t." + tag, Records.primaryKey(key.primary()));
      }
    } catch (RuntimeException e) {
      throw storageFailure("openMiss", e);
    }
    long id = node | (writeCounter.incrementAndGet() & 0xffff_ffffL);
    ChunkedWrite w;
    try {
      w = new ChunkedWrite(id, key, meta, tagStamps, caches, maxObjectSize, () -> writes.remove(id));
    } catch (IOException e) {
      throw new StorageException(e.getMessage(), e);
    }
    writes.put(id, w);
    return w;
  }

  @Override
  public boolean updateMeta(StorageKey key, StoredObject object, ObjectMeta meta) {
    String k = Records.objectKey(key);
    try {
      for (Cache<String, Blob> c : java.util.List.of(objects, volatileObjects)) {
        Blob current = c.get(k);
        if (current == null) {
          continue;
        }
        Records.StoredRecord r = Records.decodeObject(current);
        if (r.writeId() != object.writeId()) {
          return false; // another write's body: the meta was made from the object found before it
        }
        ObjectMeta updated = meta.withLength(r.meta().length());
        Map<String, Long> stamps = stampTags(meta.surrogateKeys(), r.tagStamps());
        if (c.replace(k, current, Records.encodeObject(updated, r.writeId(), r.chunks(), stamps))) {
          for (String tag : meta.surrogateKeys()) {
            index.add("t." + tag, Records.primaryKey(key.primary()));
          }
          return true;
        }
        return false;
      }
      return false;
    } catch (IllegalArgumentException e) {
      return false;
    } catch (RuntimeException e) {
      throw storageFailure("updateMeta", e);
    }
  }

  // ---------------------------------------------------------------- purges

  @Override
  public boolean purge(StorageKey key, PurgeReason reason) {
    String k = Records.objectKey(key);
    try {
      boolean removed = false;
      for (boolean sensitive : new boolean[] {false, true}) {
        Cache<String, Blob> c = sensitive ? volatileObjects : objects;
        Blob current = c.get(k);
        if (current == null) {
          continue;
        }
        Records.StoredRecord r;
        try {
          r = Records.decodeObject(current);
        } catch (IllegalArgumentException e) {
          c.remove(k);
          removed = true;
          continue;
        }
        removed |= purgeRecord(key, k, r, sensitive);
      }
      return removed;
    } catch (RuntimeException e) {
      throw storageFailure("purge", e);
    }
  }

  private boolean purgeRecord(StorageKey key, String k, Records.StoredRecord r, boolean sensitive) {
    Cache<String, Blob> c = sensitive ? volatileObjects : objects;
    Cache<String, Blob> body = sensitive ? volatileChunks : chunks;
    Blob current = c.get(k);
    boolean removed = false;
    if (current != null) {
      try {
        Records.StoredRecord now = Records.decodeObject(current);
        // Remove only the record that was looked at: a newer write may have replaced it.
        removed = now.writeId() == r.writeId() && c.remove(k, current);
      } catch (IllegalArgumentException e) {
        removed = c.remove(k, current);
      }
    }
    for (int i = 0; i < r.chunks(); i++) {
      body.remove(Records.chunkKey(k, r.writeId(), i));
    }
    if (removed) {
      index.remove("v." + Records.primaryKey(key.primary()), k);
    }
    return removed;
  }

  private void drop(StorageKey key, String k, String why) {
    objects.remove(k);
    volatileObjects.remove(k);
    selfHealHook.accept(key, why);
  }

  @Override
  public int purgeAll(CacheKey primary, PurgeReason reason) {
    int n = 0;
    for (StorageKey key : keysOf(primary)) {
      if (purge(key, reason)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Set<StorageKey> keysOf(CacheKey primary) {
    try {
      Set<StorageKey> out = new HashSet<>();
      for (String k : index.get("v." + Records.primaryKey(primary))) {
        try {
          out.add(Records.storageKey(k));
        } catch (IllegalArgumentException e) {
          // a damaged member is skipped
        }
      }
      return out;
    } catch (RuntimeException e) {
      throw storageFailure("keysOf", e);
    }
  }

  @Override
  public void clear() {
    try {
      objects.clear();
      chunks.clear();
      volatileObjects.clear();
      volatileChunks.clear();
      indexCache.clear();
    } catch (RuntimeException e) {
      throw storageFailure("clear", e);
    }
  }

  @Override
  public boolean supportsStreamingPartialWrite() {
    return true;
  }

  @Override
  public long maxObjectSize() {
    return maxObjectSize;
  }

  @Override
  public KeyLocks locks() {
    return locks;
  }

  @Override
  public Generations generations() {
    return generations;
  }

  @Override
  public SurrogateKeyIndex surrogateKeys() {
    return surrogateKeys;
  }

  @Override
  public void close() {
    breaker.close();
    for (ChunkedWrite w : writes.values()) {
      w.close();
    }
    if (ownsManager) {
      manager.close();
    }
  }

  /** For tests: whether the caches without a disk tier hold {@code key}'s record. */
  boolean volatileHas(StorageKey key) {
    return volatileObjects.containsKey(Records.objectKey(key));
  }

  /** For tests: whether the caches with a disk tier hold {@code key}'s record. */
  boolean persistentHas(StorageKey key) {
    return objects.containsKey(Records.objectKey(key));
  }

  private static StorageException storageFailure(String operation, RuntimeException e) {
    return e instanceof StorageException se ? se
        : new StorageException("Ehcache failed during " + operation + ": " + e.getMessage(), e);
  }

  // ---------------------------------------------------------------- objects and readers

  // ---------------------------------------------------------------- configuration

  /**
   * Builds an {@link EhcacheStorage}: on a {@link CacheManager} of the caller's (from an
   * {@code ehcache.xml}, say), or on one made here with heap, off-heap and disk tiers.
   */
  public static final class Builder {
    private CacheManager manager;
    private long heapEntries = 10_000;
    private long heapChunks = 256;
    /** -1: sized from the JVM's direct memory ({@link DirectMemory}). */
    private long offheapMb = -1;
    private long diskMb = 1024;
    private File diskDirectory;
    private long maxObjectSize = 64L * 1024 * 1024;
    private Clock clock = Clock.systemUTC();
    private boolean ownsXmlManager;
    private java.net.URI cluster;
    private long clusterMb = 64;
    private Duration operationTimeout = Duration.ofSeconds(1);
    private Duration readTimeout = Duration.ofMillis(300);
    private Duration connectTimeout = Duration.ofSeconds(20);
    private static final String CHUNK_SIZE_TEXT = "64 KiB";

    private Builder() {}

    /**
     * Uses {@code value}, initialised, which must hold the caches listed on
     * {@link EhcacheStorage}; the store does not close it.
     */
    public Builder cacheManager(CacheManager value) {
      this.manager = Objects.requireNonNull(value, "cacheManager must not be null");
      return this;
    }

    /**
     * Uses a CacheManager made, and owned by the store, from an {@code ehcache.xml}: Ehcache's own
     * XML, declaring the caches listed on {@link EhcacheStorage} (see the example in this
     * module's README). Disk tiers write through the store's bounded writer pool, as those the
     * builder makes do, unless the file declares thread pools of its own.
     *
     * @throws IllegalArgumentException if the file cannot be read or lacks a cache
     */
    public Builder ehcacheXml(java.net.URL xml) {
      Objects.requireNonNull(xml, "xml must not be null");
      try {
        CacheManager m = BoundedDiskWrites.manager(new XmlConfiguration(xml));
        m.init();
        this.manager = m;
        this.ownsXmlManager = true;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot use the Ehcache configuration " + xml + ": "
            + Topology.explain(e, null, 0, connectTimeout, -1), e);
      }
      return this;
    }

    /**
     * Puts the shared caches (objects, chunks, locks, counters, index) on the clustered tier of
     * the Terracotta server at {@code uri} ({@code terracotta://host:port/entity}), with strong
     * consistency, a small heap tier in front of objects and chunks, and failures reported rather
     * than hidden. Sensitive objects stay in this JVM. The server's offheap resource must be
     * called {@code main}.
     */
    public Builder cluster(java.net.URI uri) {
      this.cluster = Objects.requireNonNull(uri, "cluster must not be null");
      if (!"terracotta".equals(uri.getScheme())) {
        throw new IllegalArgumentException("cluster must be a terracotta:// URI: " + uri);
      }
      return this;
    }

    /** MiB of the server's offheap resource {@code main} for each shared cache. Default 64. */
    public Builder clusterMb(long value) {
      this.clusterMb = positive(value, "clusterMb");
      return this;
    }

    /**
     * How long connecting to the cluster may take at start. Default 20 s. After the server was
     * lost, each attempt at a new connection waits 3 s at most.
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** How long a clustered write may take before it fails. Default 1 s. */
    public Builder operationTimeout(Duration value) {
      this.operationTimeout = positive(value, "operationTimeout");
      return this;
    }

    /**
     * How long a clustered read may take before it fails: the deadline of a lookup on the request
     * path, after which the request proceeds as a miss (and the store stops trying the tier until
     * a background probe finds it back). Default 300 ms.
     */
    public Builder readTimeout(Duration value) {
      this.readTimeout = positive(value, "readTimeout");
      return this;
    }

    /** Object records on heap. Default 10,000. */
    public Builder heapEntries(long value) {
      this.heapEntries = positive(value, "heapEntries");
      return this;
    }

    /** Body chunks on heap ({@value #CHUNK_SIZE_TEXT} each). Default 256 (16 MiB). */
    public Builder heapChunks(long value) {
      this.heapChunks = positive(value, "heapChunks");
      return this;
    }

    /**
     * Off-heap MiB for each of the object and chunk caches (four of them, two on a cluster);
     * 0 for none. Default: a quarter of the JVM's direct memory ({@code -XX:MaxDirectMemorySize},
     * by default the heap size) shared among them, between 4 and 64 MiB each.
     */
    public Builder offheapMb(long value) {
      this.offheapMb = nonNegative(value, "offheapMb");
      return this;
    }

    /** Disk MiB for the chunk cache; 0 for none. Default 1024. Needs {@link #diskDirectory}. */
    public Builder diskMb(long value) {
      this.diskMb = nonNegative(value, "diskMb");
      return this;
    }

    /** Where the disk tier lives; cleaned at start. Without it there is no disk tier. */
    public Builder diskDirectory(File value) {
      this.diskDirectory = Objects.requireNonNull(value, "diskDirectory must not be null");
      return this;
    }

    /** The largest body stored. Default 64 MiB. */
    public Builder maxObjectSize(long value) {
      this.maxObjectSize = nonNegative(value, "maxObjectSize");
      return this;
    }

    /** The clock of expiry and leases. Default: the system clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    private static long nonNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + v);
      }
      return v;
    }

    private static Duration positive(Duration v, String name) {
      Objects.requireNonNull(v, name + " must not be null");
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
      return v;
    }

    private static long positive(long v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + v);
      }
      return v;
    }

    public EhcacheStorage build() {
      if (manager != null) {
        try {
          return new EhcacheStorage(manager, ownsXmlManager, null, clock, maxObjectSize, null, ManagerSlot.GIVE_UP_AFTER);
        } catch (IllegalArgumentException e) {
          if (ownsXmlManager) {
            manager.close();
          }
          throw e;
        }
      }
      Topology topology = new Topology(cluster, clusterMb, heapEntries, heapChunks, offheapMb, diskMb,
          diskDirectory, readTimeout, operationTimeout, connectTimeout, clock);
      CacheManagerBuilder<? extends CacheManager> mb = topology.managerBuilder();
      CacheManager m;
      try {
        m = mb.build(true);
      } catch (RuntimeException e) {
        throw new StorageException("cannot start the Ehcache store"
            + (cluster == null ? "" : " on the cluster " + cluster) + ": " + topology.explain(e), e);
      }
      java.util.function.Supplier<CacheManager> rebuild = null;
      if (cluster != null) {
        CacheManagerBuilder<? extends CacheManager> again = topology
            .withConnectTimeout(RECONNECT_TIMEOUT.compareTo(connectTimeout) < 0 ? RECONNECT_TIMEOUT : connectTimeout)
            .managerBuilder();
        rebuild = () -> again.build(true);
      }
      boolean stripe = cluster != null && servers(cluster) > 1;
      if (cluster != null && !stripe) {
        Logger.getLogger(EhcacheStorage.class.getName()).info(() -> "the cluster " + cluster + " names one server:"
            + " if it is one of a stripe, name every server of it (terracotta://HOST1:PORT1,HOST2:PORT2/ENTITY),"
            + " or a failover never reaches the new active");
      }
      return new EhcacheStorage(m, true, rebuild, clock, maxObjectSize, cluster == null ? null : readTimeout,
          stripe ? ManagerSlot.STRIPE_GIVE_UP_AFTER : ManagerSlot.GIVE_UP_AFTER);
    }

    /** How many servers a {@code terracotta://} URI names. */
    static int servers(java.net.URI cluster) {
      String authority = cluster.getRawAuthority();
      return authority == null ? 1 : authority.split(",").length;
    }
  }
}
