package dev.edgecache.internal;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.CacheStateException;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.ReplaceEntry;
import dev.edgecache.ReplaceOptions;
import dev.edgecache.ReplaceStrategy;
import dev.edgecache.RequestHeaders;
import dev.edgecache.SelfHealReason;
import dev.edgecache.WriteOptions;
import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The core cache: collapsing, streaming fills, generations, stale serving and purges over a
 * {@link CacheStorage}. This class is the API's face and makes the entries; the work is done by
 * {@link Lookups} (lookups that wait), {@link LockTable} (the keys in flight and their queues),
 * {@link Fills} (the owners' moves), {@link RemoteOwnerWatch} (owners on other nodes), {@link GuardedStorage} (every store call, failures degraded to misses),
 * {@link Purges} and {@link ReadBacks}.
 *
 * <h2>How a transaction lookup runs</h2>
 *
 * <ol>
 *   <li>Resolve: read the key's generation and the store's epoch, then the record under the key.
 *       A vary rule there sends the lookup to the variant its request headers select. Records from
 *       another generation or epoch were purged while being filled: they are dropped (self-heal).
 *   <li>A fresh object is a hit. A stale one within stale-while-revalidate is usable by everyone
 *       and owned by the first caller that finds its key free (RFC 5861 §3). A hit-for-miss marker
 *       makes the caller an owner that nobody waits for.
 *   <li>Otherwise the caller joins the key's {@link Flight}. The first caller takes the store's
 *       key lock and owns the key; the others queue. When the owner starts inserting a fresh
 *       object, the queue is released with entries that stream the write; a write that is not
 *       fresh releases them as owners of their own instead (RFC 9111 §4: a waiter is only given
 *       what the cache could serve to its own request without validation). If the owner
 *       cancels, the next in the queue owns the key; if it neither writes nor cancels within the
 *       lock timeout, it loses the key and every waiter goes on its own. If the store's lock is held elsewhere (another node), the flight watches the lock
 *       and follows that node's write as soon as it publishes its write tag.
 * </ol>
 *
 * <p>A fill records the generation and epoch seen when its transaction began and writes them
 * into the object's metadata: a purge during the fill bumps the generation, so the fill's object
 * is never served (cascache's compare-and-swap by generation).
 *
 * <p>Store failures never fail a caller: lookups miss, writes are skipped, a lock that cannot be
 * taken falls back to collapsing in this JVM only, and the listener hears of each.
 */
public final class DefaultEdgeCache implements EdgeCache {
  private final CacheStorage storage;
  private final boolean closeStorage;
  private final Clock clock;
  private final Duration lockTimeout;
  private final Duration notCacheableTtl;
  private final int maxKeyLength;
  private final int maxUserMetadataLength;
  private final int maxVariantsPerKey;
  private final CacheListener listener;
  private final Executor executor;
  /** The cache's own timer thread; null when the builder was given a scheduler. */
  private final ScheduledThreadPoolExecutor timer;
  private final dev.edgecache.Scheduler scheduler;
  private final GuardedStorage guarded;
  private final Purges purges;
  /**
   * Threads for work that may wait on the store: reading ahead an unfinished object for a
   * non-blocking reader ({@link NonBlockingFeed}), and what the timer and the store's lock events
   * set off ({@link #runBlocking}); none while idle.
   */
  private final java.util.concurrent.ThreadPoolExecutor blockingWork;
  private final Lookups lookups;
  private final LockTable locks;
  private final Fills fills;
  /** Where the entries of lookups are made: the lock table's own. */
  private final Entries entries;
  /** Non-transactional inserts being written, by key. */
  private final ConcurrentHashMap<CacheKey, Fill> inserting = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Use {@link EdgeCache#builder()}. */
  public DefaultEdgeCache(CacheStorage storage, boolean closeStorage, Clock clock,
      Duration lockTimeout, Duration notCacheableTtl, int maxKeyLength, int maxUserMetadataLength,
      int maxVariantsPerKey, CacheListener listener, Executor executor, dev.edgecache.Scheduler scheduler,
      CacheStorage sharing) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.closeStorage = closeStorage;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    this.notCacheableTtl = Objects.requireNonNull(notCacheableTtl, "notCacheableTtl");
    this.maxKeyLength = maxKeyLength;
    this.maxUserMetadataLength = maxUserMetadataLength;
    this.maxVariantsPerKey = maxVariantsPerKey;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.guarded = new GuardedStorage(storage, clock, lockTimeout, notCacheableTtl, listener, sharing);
    if (scheduler == null) {
      this.timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "edgecache-timer");
        t.setDaemon(true);
        return t;
      });
      this.timer.setRemoveOnCancelPolicy(true);
      this.scheduler = (task, delay) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      this.timer = null;
      this.scheduler = scheduler;
    }
    this.blockingWork = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "edgecache-follower");
          t.setDaemon(true);
          return t;
        });
    this.lookups = new Lookups(guarded, clock, lockTimeout, maxUserMetadataLength, maxVariantsPerKey,
        listener, executor, blockingWork, new Deadlines() {
          @Override
          public java.util.concurrent.Future<?> later(long delayMillis, Runnable task) {
            return DefaultEdgeCache.this.later(delayMillis, task);
          }

          @Override
          public boolean stopped() {
            return closed;
          }
        });
    this.locks = lookups.locks();
    this.fills = lookups.fills();
    this.entries = lookups.entries();
    this.purges = new Purges(storage, guarded, clock, listener, k -> locks.flying(k) || inserting.containsKey(k));
    storage.evictionHook(key -> GuardedStorage.notify(() -> listener.evicted(key.primary())));
    storage.selfHealHook((key, why) ->
        GuardedStorage.notify(() -> listener.selfHealed(key.primary(), SelfHealReason.BODY_UNREADABLE)));
  }

  // ------------------------------------------------------------------ lookups

  @Override
  public Clock clock() {
    return clock;
  }

  /**
   * Runs {@code task}, which may wait on the store, on a thread of its own. The timer has one
   * thread and the default executor may have one too: a task that waited there on a store in
   * trouble (each operation taking its whole timeout) would hold back every deadline behind it.
   * Once the cache is closed the task runs on the caller's thread.
   */
  void runBlocking(Runnable task) {
    try {
      blockingWork.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      task.run();
    }
  }

  /**
   * Runs {@code task} after {@code delayMillis} on a thread of its own ({@link #runBlocking});
   * null, and never run, once the cache is closed.
   */
  java.util.concurrent.Future<?> later(long delayMillis, Runnable task) {
    if (closed) {
      return null;
    }
    try {
      // a caller's scheduler outlives the cache: what it runs after the close does nothing
      return scheduler.schedule(() -> {
        if (!closed) {
          runBlocking(task);
        }
      }, Duration.ofMillis(delayMillis));
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      return null; // the cache is closing, or the caller's scheduler was shut down
    }
  }

  @Override
  public Optional<CacheEntry> lookup(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      EnumSet<LookupState> state = f.foundState();
      long hits = state.contains(USABLE) ? r.object().recordHit() : -1;
      return Optional.of(new Entry(fills, Entries.states(state), r.object(), f.ageMillis(), hits, options, null));
    }
    StoredObject streaming = locks.streamingWriteOf(r.key());
    return streaming == null ? Optional.empty() : Optional.of(entries.streaming(streaming, options));
  }

  @Override
  public CacheEntry transactionLookup(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      // The common case, a fresh hit, needs no waiter.
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        return entries.found(r, f, Entries.HIT, options, null);
      }
    }
    Waiter w = Waiter.lookup(key, options);
    lookups.attempt(w, r);
    return await(w.entry);
  }

  @Override
  public CompletionStage<CacheEntry> transactionLookupAsync(CacheKey key, LookupOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    CompletableFuture<CacheEntry> out = new CompletableFuture<>();
    // the store's calls on the cache's executor, never the caller's thread (Fastly's async lookup)
    Runnable lookUp = () -> {
      CompletionStage<CacheEntry> lookup;
      try {
        lookup = transactionLookupNowOrLater(key, options);
      } catch (RuntimeException | Error e) {
        out.completeExceptionally(e);
        return;
      }
      lookup.whenComplete((entry, failure) -> {
        if (failure != null) {
          out.completeExceptionally(failure);
        } else if (!out.complete(entry)) {
          entry.close(); // the caller gave up: an owner entry passes the key on
        }
      });
    };
    try {
      executor.execute(lookUp);
    } catch (RejectedExecutionException stopping) {
      lookUp.run();
    }
    return out;
  }

  @Override
  public CompletionStage<CacheEntry> transactionLookupNowOrLater(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        return CompletableFuture.completedFuture(entries.found(r, f, Entries.HIT, options, null));
      }
    }
    Waiter w = Waiter.lookup(key, options);
    lookups.attempt(w, r);
    w.async = true;
    return w.entry;
  }

  /** Checks a lookup's arguments and the cache, then looks in the store. */
  private Resolution checkAndResolve(CacheKey key, LookupOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    return guarded.resolve(key, options.requestHeaders());
  }

  // ------------------------------------------------------------------ the owner's moves, for entries and fills

  // ------------------------------------------------------------------ non-transactional writes

  @Override
  public BodySink insert(CacheKey key, WriteOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    Resolution r = guarded.resolveForUnlockedWrite(key);
    Fill fill = fills.beginFill(new Transaction(null, r, LookupOptions.DEFAULT, null), options);
    // known while it is written, so that a WAIT replacement of the key can wait for it
    inserting.put(key, fill);
    fill.done.whenComplete((committed, failure) -> inserting.remove(key, fill));
    return fill;
  }

  /** Writes as {@link #insert}, but stamped with a generation the caller observed earlier. */
  BodySink insertAtGeneration(CacheKey key, WriteOptions options, long generation) {
    Resolution r = guarded.resolveForUnlockedWrite(key);
    Resolution stamped = new Resolution(r.key(), null, false, r.epoch(), generation, r.nowMillis(),
        r.scopeSerial());
    return fills.beginFill(new Transaction(null, stamped, LookupOptions.DEFAULT, null), options);
  }

  @Override
  public ReplaceEntry replace(CacheKey key, ReplaceOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    LookupOptions lookup = new LookupOptions(options.requestHeaders(), options.alwaysUseRequestedRange());
    if (options.strategy() == ReplaceStrategy.WAIT) {
      awaitInsert(key);
      Waiter w = Waiter.replacement(key, lookup);
      locks.join(w, guarded.resolve(key, lookup.requestHeaders()));
      return await(w.replace);
    }
    Resolution r = guarded.resolve(key, lookup.requestHeaders());
    // The key's flight, if nobody holds it: a transaction lookup that cannot be answered from
    // the old object (none, or it is hidden) waits for this replacement instead of going to the
    // origin, and a WAIT replacement queues behind it. If another caller holds the key, this
    // replacement goes on beside it, as Fastly's immediate strategies do.
    Transaction owned = locks.tryOwnNow(r, lookup);
    if (options.strategy() == ReplaceStrategy.IMMEDIATE_FORCE_MISS && r.object() != null) {
      guarded.purgeQuietly(r.key());
    }
    return new ReplacementEntry(fills, r.object(), clock.millis(), lookup,
        owned != null ? owned : new Transaction(null, r, lookup, null));
  }

  /**
   * Waits for a non-transactional insert of {@code key} in progress to end, for the lock timeout
   * at most (an insert whose sink is never closed must not hold a replacement for ever).
   */
  private void awaitInsert(CacheKey key) {
    Fill insert = inserting.get(key);
    if (insert == null) {
      return;
    }
    try {
      insert.done.get(lockTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheStateException("interrupted while waiting for an insert of the key");
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // ended badly, or still going after the lock timeout: the replacement goes ahead
    }
  }

  // ------------------------------------------------------------------ purges

  @Override
  public boolean purge(CacheKey key) {
    checkKey(key);
    checkOpen();
    return purges.purge(key);
  }

  @Override
  public boolean softPurge(CacheKey key) {
    checkKey(key);
    checkOpen();
    return purges.softPurge(key);
  }

  @Override
  public int purgeSurrogateKey(String surrogateKey) {
    WriteOptions.checkSurrogateKey(surrogateKey);
    checkOpen();
    return purges.purgeTag(surrogateKey, false);
  }

  @Override
  public int softPurgeSurrogateKey(String surrogateKey) {
    WriteOptions.checkSurrogateKey(surrogateKey);
    checkOpen();
    return purges.purgeTag(surrogateKey, true);
  }

  @Override
  public boolean purgeScope(String scope) {
    WriteOptions.checkPurgeScope(scope);
    checkOpen();
    return purges.purgeScope(scope, false);
  }

  @Override
  public boolean softPurgeScope(String scope) {
    WriteOptions.checkPurgeScope(scope);
    checkOpen();
    return purges.purgeScope(scope, true);
  }

  @Override
  public dev.edgecache.spi.StoreFigures storeFigures() {
    try {
      return storage.figures();
    } catch (RuntimeException e) {
      return new dev.edgecache.spi.StoreFigures(storage.getClass().getSimpleName(), false, -1, -1, -1, -1);
    }
  }

  @Override
  public dev.edgecache.CacheActivity activity() {
    return locks.activity();
  }

  @Override
  public boolean purgeAll() {
    checkOpen();
    return purges.purgeAll();
  }



  // ------------------------------------------------------------------ key-value face, lifecycle

  /** What the key-value faces use of this cache. */
  private final KeyValueBackend keyValueBackend = new KeyValueBackend() {
    @Override
    public EdgeCache cache() {
      return DefaultEdgeCache.this;
    }

    @Override
    public void checkKey(CacheKey key) {
      DefaultEdgeCache.this.checkKey(key);
    }

    @Override
    public long generation(CacheKey key) {
      return DefaultEdgeCache.this.generation(key);
    }

    @Override
    public BodySink insertAtGeneration(CacheKey key, WriteOptions options, long generation) {
      return DefaultEdgeCache.this.insertAtGeneration(key, options, generation);
    }

    @Override
    public Executor executor() {
      return executor;
    }

    @Override
    public CacheListener listener() {
      return listener;
    }
  };

  @Override
  public <V> KeyValueCache<V> keyValue(String namespace, Codec<V> codec) {
    return new DefaultKeyValueCache<>(keyValueBackend, namespace, codec, null);
  }

  @Override
  public <V> KeyValueCache<V> keyValue(String namespace, Codec<V> codec, Duration defaultTtl) {
    return new DefaultKeyValueCache<>(keyValueBackend, namespace, codec, DefaultKeyValueCache.checkTtl(defaultTtl));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    blockingWork.shutdownNow();
    try {
      // the cache's threads must be gone when close returns: a container that undeploys the
      // application checks for threads it left behind (and leaks its class loader otherwise)
      if ((timer != null && !timer.awaitTermination(5, TimeUnit.SECONDS))
          || !blockingWork.awaitTermination(5, TimeUnit.SECONDS)) {
        guarded.reportFailure("close", CacheKey.of("timer"), new CacheStateException("the cache's threads did not stop within 5 s"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lookups.failAll();
    if (guarded.sharing() != null) {
      guarded.sharing().close();
    }
    if (closeStorage) {
      storage.close();
    }
  }

  /** The key's current generation, for the key-value face's snapshots; -1 if unknown. */
  long generation(CacheKey key) {
    return guarded.generation(key);
  }

  int maxKeyLength() {
    return maxKeyLength;
  }

  void checkKey(CacheKey key) {
    Objects.requireNonNull(key, "key must not be null");
    if (key.length() > maxKeyLength) {
      throw new IllegalArgumentException(
          "key is " + key.length() + " bytes, longer than the maximum of " + maxKeyLength);
    }
  }

  void checkOpen() {
    if (closed) {
      throw new CacheStateException("the cache is closed");
    }
  }

  // ------------------------------------------------------------------ the store



  // ------------------------------------------------------------------ entries



  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!future.cancel(false)) {
        T late = future.getNow(null);
        if (late instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception ignored) {
            // closing an entry does not throw
          }
        }
      }
      throw new CacheStateException("interrupted while waiting for the key");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    }
  }
}
