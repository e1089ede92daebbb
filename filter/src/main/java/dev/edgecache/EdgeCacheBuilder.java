package dev.edgecache;

import dev.edgecache.internal.DefaultEdgeCache;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Builds an {@link EdgeCache}. Each setter checks its argument and names it on failure. Not
 * thread-safe.
 */
public final class EdgeCacheBuilder {
  private CacheStorage storage;
  private boolean closeStorage = true;
  private long memoryCapacityBytes = MemoryStorage.defaultCapacityBytes();
  private long memoryMaxObjectBytes = -1;
  private Clock clock = Clock.systemUTC();
  private Duration lockTimeout = Duration.ofSeconds(5);
  private Duration notCacheableTtl = Duration.ofSeconds(120);
  private int maxKeyLength = 4096;
  private int maxUserMetadataLength = 64 * 1024;
  private int maxVariantsPerKey = 32;
  private CacheListener listener = CacheListener.NONE;
  private Executor executor = ForkJoinPool.commonPool();
  private Scheduler scheduler;

  /**
   * The memory for fills shared with their waiters while the store is away: fills larger than a
   * quarter of it are not shared (their waiters go to the origin on their own).
   */
  static final long SHARED_FILLS_BYTES = 64L << 20;

  EdgeCacheBuilder() {}

  /**
   * The store. Default: a {@link MemoryStorage} with its default sizes.
   *
   * @param closeOnClose whether closing the cache closes the store
   */
  public EdgeCacheBuilder storage(CacheStorage value, boolean closeOnClose) {
    this.storage = Objects.requireNonNull(value, "storage must not be null");
    this.closeStorage = closeOnClose;
    return this;
  }

  /**
   * The clock for ages and freshness, and for the default in-memory store's expiry. A store
   * given with {@link #storage} keeps its own clock: give it the same one. Default: the system
   * clock.
   */
  public EdgeCacheBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock must not be null");
    return this;
  }

  /**
   * How long the owner of a key may go without inserting, updating or cancelling before it loses
   * the key and every waiting caller goes on its own, so that no caller waits longer than this in
   * all; also the lease of the store's key lock, renewed while the owner
   * writes. Default 5 s (nginx's {@code proxy_cache_lock_timeout}).
   */
  public EdgeCacheBuilder lockTimeout(Duration value) {
    this.lockTimeout = Args.positive(value, "lockTimeout");
    return this;
  }

  /** How long a not-cacheable (hit-for-miss) marker lasts. Default 120 s, as Varnish's. */
  public EdgeCacheBuilder notCacheableTtl(Duration value) {
    this.notCacheableTtl = Args.positive(value, "notCacheableTtl");
    return this;
  }

  /** The longest key accepted, in bytes. Default 4096. */
  public EdgeCacheBuilder maxKeyLength(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxKeyLength must be at least 1: " + value);
    }
    this.maxKeyLength = value;
    return this;
  }

  /** The most user metadata an insert may carry, in bytes. Default 64 KiB. */
  public EdgeCacheBuilder maxUserMetadataLength(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxUserMetadataLength must not be negative: " + value);
    }
    this.maxUserMetadataLength = value;
    return this;
  }

  /**
   * The most variants one key may hold; an insert of one more variant is not stored (the owner
   * still gets a sink), so that a vary rule on a header with endless values cannot fill the
   * store. Default 32.
   */
  public EdgeCacheBuilder maxVariantsPerKey(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxVariantsPerKey must be at least 1: " + value);
    }
    this.maxVariantsPerKey = value;
    return this;
  }

  /** The hooks for high-signal events. Default: none. */
  public EdgeCacheBuilder listener(CacheListener value) {
    this.listener = Objects.requireNonNull(value, "listener must not be null");
    return this;
  }

  /**
   * The bounds of the in-memory store made when no {@link #storage} is given: its capacity, and
   * the largest object it keeps ({@code -1} for its default share of the capacity).
   *
   * @throws IllegalArgumentException if the capacity is not positive or the object bound exceeds it
   */
  public EdgeCacheBuilder memoryStorage(long capacityBytes, long maxObjectBytes) {
    if (capacityBytes <= 0 || maxObjectBytes > capacityBytes || maxObjectBytes < -1) {
      throw new IllegalArgumentException("memory store bounds: capacity " + capacityBytes + ", largest object "
          + maxObjectBytes);
    }
    this.memoryCapacityBytes = capacityBytes;
    this.memoryMaxObjectBytes = maxObjectBytes;
    return this;
  }

  /** The in-memory store's capacity when none is given: a share of the heap. */
  public static long defaultMemoryCapacityBytes() {
    return MemoryStorage.defaultCapacityBytes();
  }

  /** The largest object the in-memory store keeps by default, for its capacity. */
  public static long defaultMemoryMaxObjectBytes(long capacityBytes) {
    return MemoryStorage.defaultMaxObjectSize(capacityBytes);
  }

  /**
   * Where {@link EdgeCache#transactionLookupAsync} asks the store and its stages complete, and
   * the key-value face's loaders run (give one sized for the store's latency and the loaders'
   * work where they block), and so where the caller's chained stages run. Default: the common
   * fork-join pool.
   */
  public EdgeCacheBuilder executor(Executor value) {
    this.executor = Objects.requireNonNull(value, "executor must not be null");
    return this;
  }

  /**
   * Where the cache's deadlines wait: lock timeouts, queued lookups, looks at an owner on another
   * node. The cache never shuts a given scheduler down. Give one with the {@link #clock} to run
   * the cache on a time of your own (tests). Default: a timer thread of the cache's own.
   */
  public EdgeCacheBuilder scheduler(Scheduler value) {
    this.scheduler = Objects.requireNonNull(value, "scheduler must not be null");
    return this;
  }

  public EdgeCache build() {
    CacheStorage s = storage;
    if (s == null) {
      // one clock for the cache and its store: expiry and freshness must agree
      MemoryStorage.Builder memory = MemoryStorage.builder().capacityBytes(memoryCapacityBytes).clock(clock);
      s = (memoryMaxObjectBytes >= 0 ? memory.maxObjectSize(memoryMaxObjectBytes) : memory).build();
    }
    // While a given store is away (a cluster tier lost, say), a fill is shared with its waiters
    // from this JVM's memory, so that each node still collapses on its own; never kept after. The
    // default store is this JVM's memory itself: nothing to share in.
    CacheStorage sharing = storage == null ? null : MemoryStorage.builder().capacityBytes(SHARED_FILLS_BYTES)
        .maxObjectSize(SHARED_FILLS_BYTES / 4).clock(clock).build();
    return new DefaultEdgeCache(s, storage == null || closeStorage, clock, lockTimeout,
        notCacheableTtl, maxKeyLength, maxUserMetadataLength, maxVariantsPerKey, listener, executor, scheduler,
        sharing);
  }
}
