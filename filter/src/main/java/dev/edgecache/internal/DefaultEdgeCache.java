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
import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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
 * {@link CacheStorage}.
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
  private final ScheduledThreadPoolExecutor timer;
  /**
   * Threads that read ahead, blocking, an unfinished object for a non-blocking reader when the
   * store cannot follow a write without waiting ({@link NonBlockingFeed}); none while idle.
   */
  private final java.util.concurrent.ThreadPoolExecutor blockingReads;
  private final ConcurrentHashMap<StorageKey, Flight> flights = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Use {@link EdgeCache#builder()}. */
  public DefaultEdgeCache(CacheStorage storage, boolean closeStorage, Clock clock,
      Duration lockTimeout, Duration notCacheableTtl, int maxKeyLength, int maxUserMetadataLength,
      int maxVariantsPerKey, CacheListener listener, Executor executor) {
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
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "edgecache-timer");
      t.setDaemon(true);
      return t;
    });
    this.timer.setRemoveOnCancelPolicy(true);
    this.blockingReads = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "edgecache-follower");
          t.setDaemon(true);
          return t;
        });
    storage.selfHealHook((key, why) ->
        notify(() -> listener.selfHealed(key.primary(), SelfHealReason.BODY_UNREADABLE)));
  }

  // ------------------------------------------------------------------ lookups

  @Override
  public Clock clock() {
    return clock;
  }

  /** Where a non-blocking feed reads ahead on a store that cannot follow a write without waiting. */
  java.util.concurrent.Executor blockingReads() {
    return blockingReads;
  }

  @Override
  public Optional<CacheEntry> lookup(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      EnumSet<LookupState> state = f.foundState();
      long hits = state.contains(USABLE) ? r.object().recordHit() : -1;
      return Optional.of(new Entry(this, states(state), r.object(), f.ageMillis(), hits, options, null));
    }
    StoredObject streaming = streamingWriteOf(r.key());
    return streaming == null ? Optional.empty() : Optional.of(streamingEntry(streaming, options));
  }

  @Override
  public CacheEntry transactionLookup(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      // The common case, a fresh hit, needs no waiter.
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        return hitEntry(r, f, HIT, options, null);
      }
    }
    Waiter w = Waiter.lookup(key, options);
    attempt(w, r);
    return await(w.entry);
  }

  @Override
  public CompletionStage<CacheEntry> transactionLookupAsync(CacheKey key, LookupOptions options) {
    Resolution r = checkAndResolve(key, options);
    if (r.object() != null) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        return CompletableFuture.completedFuture(hitEntry(r, f, HIT, options, null));
      }
    }
    Waiter w = Waiter.lookup(key, options);
    attempt(w, r);
    w.async = true;
    return w.entry;
  }

  /** Checks a lookup's arguments and the cache, then looks in the store. */
  private Resolution checkAndResolve(CacheKey key, LookupOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    return resolve(key, options.requestHeaders());
  }

  /** One try at serving a waiter after a lookup in the store. */
  void attempt(Waiter w) {
    Resolution r = w.isDone() ? null : resolveFor(w);
    if (r != null) {
      attempt(w, r);
    }
  }

  /** What the store holds for a waiter's request; null, the waiter failed, if the store threw. */
  private Resolution resolveFor(Waiter w) {
    try {
      return resolve(w.key, w.options.requestHeaders());
    } catch (RuntimeException | Error e) {
      w.fail(e);
      return null;
    }
  }

  /** One try at serving a waiter: a hit, a stale hit, a pass, or a place in the key's flight. */
  private void attempt(Waiter w, Resolution r) {
    if (w.isDone()) {
      return;
    }
    try {
      if (closed) {
        throw new CacheStateException("the cache is closed");
      }
      if (w.takesStream()) {
        if (r.object() != null) {
          Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
          if (f.fresh()) {
            deliver(w, hitEntry(r, f, HIT, w.options, null));
            return;
          }
          if (f.withinStaleWhileRevalidate()) {
            // RFC 5861 §3: serve stale to all, and let exactly one caller refresh it.
            Transaction t = tryOwnNow(r, w.options);
            EnumSet<LookupState> state = EnumSet.of(FOUND, USABLE, STALE);
            if (f.withinStaleIfError()) {
              state.add(USABLE_IF_ERROR);
            }
            if (t != null) {
              state.add(MUST_INSERT_OR_UPDATE);
            }
            deliver(w, hitEntry(r, f, states(state), w.options, t));
            return;
          }
        }
        if (r.notCacheable() || (r.object() != null && neverFresh(r.object().meta()))) {
          // Hit-for-miss, or an object stored only to be revalidated (no-cache, max-age=0):
          // no waiter could be given another's answer, so nobody waits (RFC 9111 §4).
          deliver(w, ownerEntry(new Transaction(null, r, w.options, null)));
          return;
        }
      }
      join(w, r);
    } catch (RuntimeException | Error e) {
      w.fail(e);
    }
  }

  /** Queues {@code w} in the flight of {@code r.key()}, or makes it the flight's owner. */
  private void join(Waiter w, Resolution r) {
    Runnable after = null;
    while (after == null) {
      Flight f = flights.computeIfAbsent(r.key(), Flight::new);
      synchronized (f) {
        if (f.retired) {
          continue;
        }
        if (f.fill != null && w.takesStream()) {
          Fill fill = f.fill;
          after = fill.shareable ? () -> deliverStream(w, fill)
              : () -> deliver(w, ownerEntry(new Transaction(null, r, w.options, null)));
        } else if (f.owner != null || f.watchingRemote) {
          queue(f, w);
          after = () -> notify(() -> listener.collapsed(w.key));
        } else {
          LockLease lease = acquire(r.key());
          if (lease == null) {
            f.watchingRemote = true;
            queue(f, w);
            after = () -> watchRemote(f);
          } else {
            Transaction t = new Transaction(f, r, w.options, lease == LOCAL_ONLY ? null : lease);
            f.owner = t;
            scheduleLockTimeout(t);
            after = () -> grant(t, w);
          }
        }
      }
    }
    after.run();
  }

  /**
   * Queues a waiter in a flight (its monitor held), with a deadline: a lookup waits at most the
   * lock timeout in all, however many owners the key passes through (each failing, say), and
   * whether the owner is here or on another node. Then it goes to the origin on its own.
   */
  private void queue(Flight f, Waiter w) {
    f.waiters.add(w);
    if (w.takesStream() && !closed) {
      w.deadline = timer.schedule(() -> waitedTooLong(f, w), lockTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A lookup's deadline passed while it was still queued: it owns the key alone, or hits. */
  private void waitedTooLong(Flight f, Waiter w) {
    synchronized (f) {
      if (!f.waiters.remove(w)) {
        return;
      }
    }
    Resolution r = w.isDone() ? null : resolveFor(w);
    if (r == null) {
      return;
    }
    if (r.object() != null) {
      Freshness fresh = Freshness.of(r.object().meta(), r.nowMillis());
      if (fresh.fresh()) {
        deliver(w, hitEntry(r, fresh, HIT, w.options, null));
        return;
      }
    }
    deliver(w, ownerEntry(new Transaction(null, r, w.options, null)));
  }

  /**
   * Hands a granted ownership to its waiter. The previous owner may have committed between this
   * waiter's lookup and its taking the lock, so a lookup looks once more before owning.
   */
  private void grant(Transaction t, Waiter w) {
    Resolution r = resolve(w.key, w.options.requestHeaders());
    if (w.takesStream() && r.object() != null && r.key().equals(t.flight.key)) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        handOver(t, true);
        deliver(w, hitEntry(r, f, HIT, w.options, null));
        return;
      }
    }
    if (r.key().equals(t.flight.key)) {
      t.resolution = r;
    }
    if (w.takesStream()) {
      deliver(w, ownerEntry(t));
    } else {
      ReplacementEntry e = new ReplacementEntry(this, t.resolution.object(), clock.millis(), w.options, t);
      if (!w.replace.complete(e)) {
        e.close();
      }
    }
  }

  /** Owns the key now if nobody does, without waiting; null otherwise. */
  private Transaction tryOwnNow(Resolution r, LookupOptions options) {
    Flight f = flights.computeIfAbsent(r.key(), Flight::new);
    synchronized (f) {
      if (f.retired || f.owner != null || f.fill != null || f.watchingRemote) {
        return null;
      }
      LockLease lease = acquire(r.key());
      if (lease == null) {
        if (f.waiters.isEmpty()) {
          retire(f);
        }
        return null;
      }
      Transaction t = new Transaction(f, r, options, lease == LOCAL_ONLY ? null : lease);
      f.owner = t;
      scheduleLockTimeout(t);
      return t;
    }
  }

  // ------------------------------------------------------------------ the owner's moves

  /** Starts the owner's write: the flight's waiters are released to stream it. */
  Fill beginFill(Transaction t, WriteOptions options) {
    Objects.requireNonNull(options, "options must not be null");
    byte[] userMetadata = options.userMetadata();
    if (userMetadata.length > maxUserMetadataLength) {
      throw new IllegalArgumentException("user metadata is " + userMetadata.length
          + " bytes, more than the maximum of " + maxUserMetadataLength);
    }
    synchronized (t.monitor()) {
      checkOwning(t);
      t.state = Transaction.State.FILLING;
      t.cancelTimer();
    }
    Resolution r = t.resolution;
    CacheKey primary = r.key().primary();
    RequestHeaders headers = options.requestHeaders().orElse(t.options.requestHeaders());
    StorageKey target = VaryKeys.variant(primary, options.varyRule(), headers);
    ObjectMeta meta = objectMeta(options, clock.millis(), r);
    MissHandler miss = null;
    boolean tooLarge = false;
    try {
      if (!options.varyRule().isEmpty()) {
        if (tooManyVariants(primary, target)) {
          Fill discard = new Fill(this, t, target, null, options.length().orElse(-1));
          synchronized (t.monitor()) {
            t.fill = discard;
          }
          refused(t, false);
          return discard;
        }
        writeVaryRule(primary, meta, r);
      }
      miss = storage.openMiss(target, meta);
    } catch (ObjectTooLargeException e) {
      tooLarge = true;
    } catch (RuntimeException e) {
      // Whatever the store threw, the owner must still be able to stream its response, and
      // the waiters must not be left behind a write that never started.
      reportFailure("openMiss", primary, e instanceof StorageException se ? se
          : new StorageException("the store failed to open a write", e));
    }
    Fill fill = new Fill(this, t, target, miss, options.length().orElse(-1));
    fill.shareable = Freshness.of(meta, clock.millis()).fresh();
    synchronized (t.monitor()) {
      t.fill = fill;
    }
    if (miss == null) {
      refused(t, tooLarge);
    } else {
      attach(t, fill);
    }
    return fill;
  }

  /** Whether storing {@code target} would give {@code primary} more variants than allowed. */
  private boolean tooManyVariants(CacheKey primary, StorageKey target) {
    try {
      Set<StorageKey> keys = storage.keysOf(primary);
      long variants = keys.stream().filter(StorageKey::hasVariant).count();
      return !keys.contains(target) && variants >= maxVariantsPerKey;
    } catch (StorageException e) {
      reportFailure("keysOf", primary, e);
      return false;
    }
  }

  /**
   * The store refused the write: the owner streams its response uncached, and nobody should wait
   * for it. Too large is a property of the response, so it is remembered as hit-for-miss.
   */
  private void refused(Transaction t, boolean tooLarge) {
    List<Waiter> waiters = endFlight(t);
    releaseLease(t.lease);
    if (tooLarge) {
      writeNotCacheable(t.resolution);
      passAll(waiters, t.resolution);
    } else {
      waiters.forEach(this::attempt);
    }
  }

  /** Makes a write visible to the waiters of its key. */
  private void attach(Transaction t, Fill fill) {
    Flight f = t.flight;
    if (f == null) {
      return;
    }
    if (fill.target.equals(f.key)) {
      List<Waiter> stream;
      List<Waiter> released = List.of();
      synchronized (f) {
        f.fill = fill;
        fill.flight = f;
        fill.lease = t.lease;
        if (!fill.shareable) {
          // RFC 9111 §4: a waiter may be given the owner's response only if the cache could
          // serve that stored response to the waiter's own request without validation. One that
          // is not fresh (no-cache, max-age=0, must-revalidate with no lifetime) could not: every
          // waiter goes to the origin on its own, at once.
          released = f.drain();
          stream = List.of();
        } else {
          stream = storage.supportsStreamingPartialWrite() ? f.drainStreamable() : List.of();
        }
      }
      publishWriteTag(t.lease, fill);
      for (Waiter w : stream) {
        deliverStream(w, fill);
      }
      passAll(released, t.resolution);
      return;
    }
    // The vary rule sent the object to another key than the one the lookup locked: the write
    // joins that key's flight if nobody owns it, and the waiters of the locked key look again
    // (they now find the vary rule, and this write if their variant is the same).
    Flight target = flights.computeIfAbsent(fill.target, Flight::new);
    LockLease targetLease = null;
    synchronized (target) {
      if (!target.retired && target.owner == null && target.fill == null && !target.watchingRemote) {
        LockLease lease = acquire(fill.target);
        if (lease != null) {
          target.owner = t;
          target.fill = fill;
          fill.flight = target;
          targetLease = lease == LOCAL_ONLY ? null : lease;
          fill.lease = targetLease;
        } else if (target.waiters.isEmpty()) {
          retire(target);
        }
      }
    }
    publishWriteTag(targetLease, fill);
    List<Waiter> again = endFlight(t);
    releaseLease(t.lease);
    again.forEach(this::attempt);
  }

  /** Called by a {@link Fill} once, when its write commits or aborts. */
  void fillEnded(Fill fill, boolean committed) {
    Transaction t = fill.txn;
    Resolution r = t.resolution;
    if (committed && !isCurrent(r)) {
      // A purge ran during the fill: the object can never be served; free its space now.
      purgeQuietly(fill.target);
    }
    List<Waiter> again = List.of();
    Flight f = fill.flight;
    if (f != null) {
      synchronized (f) {
        if (f.fill == fill) {
          f.fill = null;
          if (f.owner == t) {
            f.owner = null;
          }
          retire(f);
          again = f.drain();
        }
      }
    }
    synchronized (t.monitor()) {
      t.state = Transaction.State.DONE;
    }
    releaseLease(fill.lease);
    fill.done.complete(committed);
    again.forEach(this::attempt);
  }

  /** Revalidation: new metadata for the found object, same body. */
  void update(Transaction t, WriteOptions options) {
    Objects.requireNonNull(options, "options must not be null");
    Resolution r = t.resolution;
    synchronized (t.monitor()) {
      checkOwning(t);
      if (r.object() == null) {
        throw new CacheStateException("there is no object to update; insert one instead");
      }
      t.state = Transaction.State.DONE;
      t.cancelTimer();
    }
    ObjectMeta meta = objectMeta(options, clock.millis(), r).withLength(r.object().meta().length());
    boolean updated = false;
    try {
      updated = storage.updateMeta(r.key(), meta);
    } catch (StorageException e) {
      reportFailure("updateMeta", r.key().primary(), e);
    }
    List<Waiter> again = endFlight(t);
    releaseLease(t.lease);
    again.forEach(this::attempt);
    if (!updated) {
      throw new CacheStateException("the object was removed before it could be updated");
    }
  }

  /** How an owner gives its key up without writing. */
  enum Cancel {
    /** The next waiter owns the key. */
    HAND_OVER,
    /** Every waiter goes on its own, and a hit-for-miss marker is left. */
    NOT_CACHEABLE,
    /** Every waiter goes on its own; nothing is remembered. */
    UNSHARED
  }

  /** An explicit cancel: gives the key up, or aborts the write if one is streaming. */
  void cancel(Transaction t, Cancel how) {
    boolean notCacheable = how == Cancel.NOT_CACHEABLE;
    Fill fill;
    synchronized (t.monitor()) {
      fill = t.state == Transaction.State.FILLING ? t.fill : null;
      if (fill == null && t.state != Transaction.State.OWNING) {
        return;
      }
    }
    if (fill != null) {
      fill.abort();
      if (notCacheable) {
        writeNotCacheable(t.resolution);
      }
      return;
    }
    if (t.flight == null) {
      synchronized (t.monitor()) {
        t.state = Transaction.State.DONE;
      }
      if (notCacheable) {
        writeNotCacheable(t.resolution);
      }
    } else if (how != Cancel.HAND_OVER) {
      releaseAll(t, Transaction.State.DONE, notCacheable);
    } else {
      handOver(t, false);
    }
  }

  /** Closing an entry: cancels only a transaction that has not started anything. */
  void release(Transaction t) {
    synchronized (t.monitor()) {
      if (t.state != Transaction.State.OWNING) {
        return;
      }
    }
    cancel(t, Cancel.HAND_OVER);
  }

  /**
   * Ends {@code t}'s ownership before any write. The next live waiter becomes the owner, under
   * the same store lock; with {@code everyoneRetries} (or nobody waiting) the flight ends instead.
   */
  private void handOver(Transaction t, boolean everyoneRetries) {
    Flight f = t.flight;
    Waiter next = null;
    Transaction successor = null;
    List<Waiter> again = List.of();
    boolean releaseLock = false;
    synchronized (f) {
      if (f.owner != t || t.state != Transaction.State.OWNING) {
        return;
      }
      t.cancelTimer();
      t.state = Transaction.State.DONE;
      f.owner = null;
      if (!everyoneRetries) {
        next = f.pollLive();
      }
      if (next != null && (t.lease == null || renew(t.lease))) {
        successor = new Transaction(f, t.resolution, next.options, t.lease);
        f.owner = successor;
        scheduleLockTimeout(successor);
      } else {
        retire(f);
        again = f.drain();
        if (next != null) {
          again.add(0, next);
        }
        releaseLock = true;
      }
    }
    if (releaseLock) {
      releaseLease(t.lease);
    }
    if (successor != null) {
      grant(successor, next);
    }
    again.forEach(this::attempt);
  }

  /**
   * The owner neither wrote nor cancelled within the lock timeout (a stalled origin): it loses
   * the key, and every waiter goes to the origin on its own at once, as nginx's
   * {@code proxy_cache_lock_timeout} does. Handing the key to one waiter at a time would make the
   * n-th waiter wait n timeouts. The flight ends, so the next caller starts a new one.
   */
  private void timedOut(Transaction t) {
    if (releaseAll(t, Transaction.State.LOST, false)) {
      notify(() -> listener.lockTimedOut(t.flight.key.primary()));
    }
  }

  /** Whether an object was stored with no freshness at all: it can only ever be revalidated. */
  private static boolean neverFresh(ObjectMeta m) {
    return m.freshForMillis() <= m.initialAgeMillis();
  }

  /**
   * Ends {@code t}'s ownership in state {@code end} and releases every waiter at once (the
   * response may not be shared, or the owner timed out); with {@code remember} a hit-for-miss
   * marker keeps later callers from queueing either. False if {@code t} no longer owned the key.
   */
  private boolean releaseAll(Transaction t, Transaction.State end, boolean remember) {
    List<Waiter> waiters;
    synchronized (t.flight) {
      if (t.flight.owner != t || t.state != Transaction.State.OWNING) {
        return false;
      }
      t.cancelTimer();
      t.state = end;
      t.flight.owner = null;
      retire(t.flight);
      waiters = t.flight.drain();
    }
    if (remember) {
      writeNotCacheable(t.resolution);
    }
    releaseLease(t.lease);
    passAll(waiters, t.resolution);
    return true;
  }

  /** Every lookup waiter becomes an owner that nobody waits for; replacements look again. */
  private void passAll(List<Waiter> waiters, Resolution r) {
    for (Waiter w : waiters) {
      if (w.takesStream()) {
        deliver(w, ownerEntry(new Transaction(null, r, w.options, null)));
      } else {
        attempt(w);
      }
    }
  }

  /** Removes {@code t} as owner of its flight, ending the flight; returns its waiters. */
  private List<Waiter> endFlight(Transaction t) {
    Flight f = t.flight;
    if (f == null) {
      return List.of();
    }
    synchronized (f) {
      t.cancelTimer();
      if (f.owner != t) {
        return List.of();
      }
      f.owner = null;
      retire(f);
      return f.drain();
    }
  }

  private void checkOwning(Transaction t) {
    switch (t.state) {
      case OWNING -> { }
      case LOST -> throw new CacheStateException("the key was given to another caller: the lock"
          + " timeout of " + lockTimeout + " passed before this transaction inserted or updated");
      default -> throw new CacheStateException(
          "this transaction has already inserted, updated or cancelled");
    }
  }

  private void scheduleLockTimeout(Transaction t) {
    if (!closed) {
      t.timer = timer.schedule(() -> timedOut(t), lockTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void retire(Flight f) {
    f.retired = true;
    flights.remove(f.key, f);
  }

  // ------------------------------------------------------------------ remote owners

  /**
   * The store's lock is held by someone this JVM does not know (another node, or a lease not yet
   * released): follow its write once it publishes one, or look again once the lock is free.
   */
  private void watchRemote(Flight f) {
    long round;
    synchronized (f) {
      if (f.retired || !f.watchingRemote) {
        return;
      }
      round = ++f.watchRound;
    }
    LockInfo info = null;
    try {
      info = storage.locks().holder(f.key).orElse(null);
    } catch (StorageException e) {
      reportFailure("lock holder", f.key.primary(), e);
    }
    if (info == null) {
      List<Waiter> again;
      synchronized (f) {
        if (f.watchRound != round || f.retired) {
          return;
        }
        f.watchingRemote = false;
        retire(f);
        again = f.drain();
      }
      again.forEach(this::attempt);
      return;
    }
    if (info.writing()) {
      StoredObject o = lookupStreamingWrite(f.key, info.writeTag());
      if (o != null) {
        // As for a write in this JVM: only a fresh one is streamed to waiters (RFC 9111 §4).
        boolean shareable = Freshness.of(o.meta(), clock.millis()).fresh();
        List<Waiter> stream;
        boolean empty;
        synchronized (f) {
          if (f.watchRound != round || f.retired) {
            return;
          }
          stream = shareable ? f.drainStreamable() : f.drain();
          empty = f.waiters.isEmpty();
          if (empty) {
            f.watchingRemote = false;
            retire(f);
          }
        }
        if (!shareable) {
          passAll(stream, resolveGenerationOnly(f.key.primary()));
          return;
        }
        for (Waiter w : stream) {
          deliver(w, streamingEntry(o, w.options));
        }
        if (empty) {
          return;
        }
      }
    }
    long untilExpiry = info.expiresAtMillis() - clock.millis();
    long delay = Math.max(10, Math.min(untilExpiry, lockTimeout.toMillis()));
    Runnable wake = () -> {
      synchronized (f) {
        if (f.watchRound != round) {
          return;
        }
      }
      watchRemote(f);
    };
    try {
      // Not on the thread that changed the lock: it may hold another flight's monitor.
      storage.locks().onChange(f.key).thenRunAsync(wake, executor);
    } catch (StorageException e) {
      reportFailure("lock watch", f.key.primary(), e);
    }
    if (!closed) {
      timer.schedule(wake, delay, TimeUnit.MILLISECONDS);
    }
  }

  // ------------------------------------------------------------------ non-transactional writes

  @Override
  public BodySink insert(CacheKey key, WriteOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    Resolution r = resolveGenerationOnly(key);
    return beginFill(new Transaction(null, r, LookupOptions.DEFAULT, null), options);
  }

  /** Writes as {@link #insert}, but stamped with a generation the caller observed earlier. */
  BodySink insertAtGeneration(CacheKey key, WriteOptions options, long generation) {
    Resolution r = resolveGenerationOnly(key);
    Resolution stamped = new Resolution(r.key(), null, false, r.epoch(), generation, r.nowMillis());
    return beginFill(new Transaction(null, stamped, LookupOptions.DEFAULT, null), options);
  }

  @Override
  public ReplaceEntry replace(CacheKey key, ReplaceOptions options) {
    checkKey(key);
    Objects.requireNonNull(options, "options must not be null");
    checkOpen();
    LookupOptions lookup = new LookupOptions(options.requestHeaders(), options.alwaysUseRequestedRange());
    if (options.strategy() == ReplaceStrategy.WAIT) {
      Waiter w = Waiter.replacement(key, lookup);
      join(w, resolve(key, lookup.requestHeaders()));
      return await(w.replace);
    }
    Resolution r = resolve(key, lookup.requestHeaders());
    if (options.strategy() == ReplaceStrategy.IMMEDIATE_FORCE_MISS && r.object() != null) {
      purgeQuietly(r.key());
    }
    return new ReplacementEntry(this, r.object(), clock.millis(), lookup,
        new Transaction(null, r, lookup, null));
  }

  // ------------------------------------------------------------------ purges

  @Override
  public boolean purge(CacheKey key) {
    checkKey(key);
    checkOpen();
    boolean removed = purgeKey(key);
    notify(() -> listener.purged(key, false));
    return removed;
  }

  private boolean purgeKey(CacheKey key) {
    try {
      if (nothingToInvalidate(key)) {
        // Nothing stored and no fill under way: a fill that starts from now on fetches after
        // this purge, so no counter is needed, and none is left behind (an unsafe method to a
        // fresh URL on every request must not grow the store).
        return false;
      }
      // Bump first: a fill that began before this purge must not commit visibly after it.
      storage.generations().bump(key);
      return storage.purgeAll(key, PurgeReason.INVALIDATION) > 0;
    } catch (StorageException e) {
      reportFailure("purge", key, e);
      return false;
    }
  }

  /**
   * Whether {@code key} has no fill under way (its lock is free, no flight here) and then nothing
   * stored. Asked in that order: a fill takes the lock before it writes anything, so a fill that
   * holds no lock now fetches from the origin after this call.
   */
  private boolean nothingToInvalidate(CacheKey key) {
    for (StorageKey inFlight : flights.keySet()) {
      if (inFlight.primary().equals(key)) {
        return false;
      }
    }
    return storage.locks().holder(StorageKey.of(key)).isEmpty() && storage.keysOf(key).isEmpty();
  }

  @Override
  public boolean softPurge(CacheKey key) {
    checkKey(key);
    checkOpen();
    boolean marked = softPurgeKey(key);
    notify(() -> listener.purged(key, true));
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
          storage.updateMeta(sk, m.withGeneration(epoch, generation));
        } else if (storage.updateMeta(sk, m.withSoftPurge(now, epoch, generation))) {
          marked = true;
        }
      }
      return marked;
    } catch (StorageException e) {
      reportFailure("soft purge", key, e);
      return false;
    }
  }

  @Override
  public int purgeSurrogateKey(String surrogateKey) {
    return purgeTag(surrogateKey, false);
  }

  @Override
  public int softPurgeSurrogateKey(String surrogateKey) {
    return purgeTag(surrogateKey, true);
  }

  /**
   * Purges every key tagged {@code surrogateKey}. A hard purge takes the tag out of the index; a
   * soft one leaves it, since the stale objects still carry it.
   */
  private int purgeTag(String surrogateKey, boolean soft) {
    WriteOptions.checkSurrogateKey(surrogateKey);
    checkOpen();
    Set<CacheKey> keys;
    try {
      keys = soft ? storage.surrogateKeys().keys(surrogateKey) : storage.surrogateKeys().take(surrogateKey);
    } catch (StorageException e) {
      reportFailure("surrogate key index", null, e);
      return 0;
    }
    for (CacheKey key : keys) {
      if (soft) {
        softPurgeKey(key);
      } else {
        purgeKey(key);
      }
    }
    notify(() -> listener.surrogateKeyPurged(surrogateKey, keys.size(), soft));
    return keys.size();
  }

  @Override
  public void purgeAll() {
    checkOpen();
    try {
      storage.generations().bumpEpoch();
      storage.clear();
    } catch (StorageException e) {
      reportFailure("purge all", null, e);
    }
  }

  // ------------------------------------------------------------------ key-value face, lifecycle

  @Override
  public <V> KeyValueCache<V> keyValue(String namespace, Codec<V> codec) {
    return new DefaultKeyValueCache<>(this, namespace, codec);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    blockingReads.shutdownNow();
    try {
      // the cache's threads must be gone when close returns: a container that undeploys the
      // application checks for threads it left behind (and leaks its class loader otherwise)
      if (!timer.awaitTermination(5, TimeUnit.SECONDS) || !blockingReads.awaitTermination(5, TimeUnit.SECONDS)) {
        reportFailure("close", CacheKey.of("timer"), new CacheStateException("the cache's threads did not stop within 5 s"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Flight f : flights.values()) {
      List<Waiter> waiters;
      synchronized (f) {
        waiters = f.drain();
      }
      waiters.forEach(w -> w.fail(new CacheStateException("the cache was closed")));
    }
    if (closeStorage) {
      storage.close();
    }
  }

  /** The key's current generation, for the key-value face's snapshots; -1 if unknown. */
  long generation(CacheKey key) {
    try {
      return storage.generations().current(key);
    } catch (StorageException e) {
      reportFailure("generation", key, e);
      return -1;
    }
  }

  CacheListener listener() {
    return listener;
  }

  long lockTimeoutMillis() {
    return lockTimeout.toMillis();
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

  // ------------------------------------------------------------------ the store, safely

  /**
   * Finds what the store holds for a request: the key's object, or its variant's, validated
   * against the current generation and epoch.
   */
  Resolution resolve(CacheKey key, RequestHeaders headers) {
    long now = clock.millis();
    long epoch;
    long generation;
    try {
      epoch = storage.generations().epoch();
      generation = storage.generations().current(key);
    } catch (StorageException e) {
      reportFailure("generations", key, e);
      return new Resolution(StorageKey.of(key), null, false, -1, -1, now);
    }
    StorageKey base = StorageKey.of(key);
    StoredObject o = valid(base, storageLookup(base), epoch, generation, now);
    if (o == null) {
      return new Resolution(base, null, false, epoch, generation, now);
    }
    switch (o.meta().kind()) {
      case OBJECT:
        return new Resolution(base, o, false, epoch, generation, now);
      case NOT_CACHEABLE:
        return new Resolution(base, null, true, epoch, generation, now);
      default:
        StorageKey variant = VaryKeys.variant(key, o.meta().varyRule(), headers);
        StoredObject v = valid(variant, storageLookup(variant), epoch, generation, now);
        ObjectMeta.Kind kind = v == null ? null : v.meta().kind();
        return new Resolution(variant, kind == ObjectMeta.Kind.OBJECT ? v : null,
            kind == ObjectMeta.Kind.NOT_CACHEABLE, epoch, generation, now);
    }
  }

  private Resolution resolveGenerationOnly(CacheKey key) {
    try {
      return new Resolution(StorageKey.of(key), null, false, storage.generations().epoch(),
          storage.generations().current(key), clock.millis());
    } catch (StorageException e) {
      reportFailure("generations", key, e);
      return new Resolution(StorageKey.of(key), null, false, -1, -1, clock.millis());
    }
  }

  private StoredObject valid(StorageKey key, StoredObject o, long epoch, long generation, long now) {
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
    return m.expiresAtMillis() <= now ? null : o;
  }

  private boolean isCurrent(Resolution r) {
    try {
      return r.generation() >= 0
          && storage.generations().epoch() == r.epoch()
          && storage.generations().current(r.key().primary()) == r.generation();
    } catch (StorageException e) {
      reportFailure("generations", r.key().primary(), e);
      return false;
    }
  }

  private StoredObject storageLookup(StorageKey key) {
    try {
      return storage.lookup(key).orElse(null);
    } catch (StorageException e) {
      reportFailure("lookup", key.primary(), e);
      return null;
    }
  }

  private StoredObject lookupStreamingWrite(StorageKey key, byte[] tag) {
    try {
      return storage.lookupStreamingWrite(key, tag).orElse(null);
    } catch (StorageException e) {
      reportFailure("lookupStreamingWrite", key.primary(), e);
      return null;
    }
  }

  /** A write in progress under {@code key}, in this JVM or another node, if one can be followed. */
  private StoredObject streamingWriteOf(StorageKey key) {
    Flight f = flights.get(key);
    Fill fill = null;
    if (f != null) {
      synchronized (f) {
        fill = f.fill;
      }
    }
    if (fill != null) {
      return lookupStreamingWrite(fill.target, fill.writeTag);
    }
    try {
      LockInfo info = storage.locks().holder(key).orElse(null);
      return info != null && info.writing() ? lookupStreamingWrite(key, info.writeTag()) : null;
    } catch (StorageException e) {
      reportFailure("lock holder", key.primary(), e);
      return null;
    }
  }

  private void purgeQuietly(StorageKey key) {
    try {
      storage.purge(key, PurgeReason.INVALIDATION);
    } catch (StorageException e) {
      reportFailure("purge", key.primary(), e);
    }
  }

  /** Marker standing for a lock that the store could not be asked for: this JVM collapses alone. */
  private static final LockLease LOCAL_ONLY =
      new LockLease(StorageKey.of(CacheKey.of("local")), "local-only");

  /** The store's lock on {@code key}: a lease, {@link #LOCAL_ONLY} if the store failed, or null if held elsewhere. */
  private LockLease acquire(StorageKey key) {
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

  private void publishWriteTag(LockLease lease, Fill fill) {
    if (lease == null || fill.writeTag == null) {
      return;
    }
    try {
      storage.locks().publishWriteTag(lease, fill.writeTag);
    } catch (StorageException e) {
      reportFailure("lock publish", lease.key().primary(), e);
    }
  }

  private void releaseLease(LockLease lease) {
    if (lease == null || lease == LOCAL_ONLY) {
      return;
    }
    try {
      storage.locks().release(lease);
    } catch (StorageException e) {
      reportFailure("lock release", lease.key().primary(), e);
    }
  }

  private void writeNotCacheable(Resolution r) {
    long now = clock.millis();
    long ttl = notCacheableTtl.toMillis();
    ObjectMeta marker = new ObjectMeta(ObjectMeta.Kind.NOT_CACHEABLE, now, 0, ttl, ttl, 0, 0, 0, 0,
        List.of(), Set.of(), new byte[0], false, r.epoch(), r.generation(), -1);
    writeRecord(r.key(), marker);
  }

  /**
   * Stores the primary key's vary rule, lasting at least as long as the variant being written
   * and any variant written before under the same rule.
   */
  private void writeVaryRule(CacheKey primary, ObjectMeta variant, Resolution r) throws ObjectTooLargeException {
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
    ObjectMeta rule = new ObjectMeta(ObjectMeta.Kind.VARY_RULE, now, 0, life, life, 0, 0, 0, 0,
        variant.varyRule(), variant.surrogateKeys(), new byte[0], variant.sensitive(), r.epoch(),
        r.generation(), -1);
    writeRecord(base, rule);
  }

  private void writeRecord(StorageKey key, ObjectMeta meta) {
    try (MissHandler miss = storage.openMiss(key, meta)) {
      miss.finish();
    } catch (IOException | StorageException e) {
      reportFailure("write " + meta.kind(), key.primary(),
          e instanceof StorageException se ? se : new StorageException(e.getMessage(), e));
    }
  }

  private ObjectMeta objectMeta(WriteOptions o, long now, Resolution r) {
    long maxAge = millis(o.maxAge());
    long freshFor = o.edgeMaxAge().map(DefaultEdgeCache::millis).orElse(maxAge);
    return new ObjectMeta(ObjectMeta.Kind.OBJECT, now, millis(o.initialAge()), maxAge, freshFor,
        millis(o.staleWhileRevalidate()), millis(o.staleIfError()), millis(o.keepStale()),
        o.length().orElse(-1),
        o.varyRule(), o.surrogateKeys(), o.userMetadata(), o.sensitive(), r.epoch(),
        r.generation(), -1);
  }

  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  // ------------------------------------------------------------------ entries

  private static final Set<LookupState> HIT = states(EnumSet.of(FOUND, USABLE));

  private static Set<LookupState> states(EnumSet<LookupState> flags) {
    return java.util.Collections.unmodifiableSet(flags);
  }

  private Entry hitEntry(Resolution r, Freshness f, Set<LookupState> state,
      LookupOptions options, Transaction t) {
    long hits = state.contains(USABLE) ? r.object().recordHit() : -1;
    return new Entry(this, state, r.object(), f.ageMillis(), hits, options, t);
  }

  /** The entry of an owner: the key, plus the stale object it may fall back on. */
  private Entry ownerEntry(Transaction t) {
    StoredObject stale = t.resolution.object();
    EnumSet<LookupState> state = EnumSet.of(MUST_INSERT_OR_UPDATE);
    long age = 0;
    if (stale != null) {
      Freshness f = Freshness.of(stale.meta(), clock.millis());
      state.add(FOUND);
      state.add(STALE);
      if (f.withinStaleIfError()) {
        state.add(USABLE_IF_ERROR);
      }
      age = f.ageMillis();
    }
    return new Entry(this, states(state), stale, age, -1, t.options, t);
  }

  private Entry streamingEntry(StoredObject o, LookupOptions options) {
    return new Entry(this, HIT, o, o.meta().initialAgeMillis(), o.recordHit(), options, null, !o.complete());
  }

  private void deliverStream(Waiter w, Fill fill) {
    StoredObject o = lookupStreamingWrite(fill.target, fill.writeTag);
    if (o == null) {
      attempt(w); // the write already failed: look again
    } else {
      deliver(w, streamingEntry(o, w.options));
    }
  }

  /** An entry that reads back the owner's write, as it is written or, if the store cannot stream, once it commits. */
  CacheEntry readBack(Fill fill, LookupOptions options) {
    StoredObject o = fill.miss == null ? null
        : storage.supportsStreamingPartialWrite()
            ? lookupStreamingWrite(fill.target, fill.writeTag)
            : new CommittedReadBack(fill);
    if (o == null) {
      o = new RefusedReadBack(fill);
    }
    return new Entry(this, HIT, o, o.meta().initialAgeMillis(), 0, options, null);
  }

  private void deliver(Waiter w, CacheEntry entry) {
    w.cancelDeadline();
    Runnable complete = () -> {
      if (!w.entry.complete(entry)) {
        entry.close(); // the caller gave up: an owner entry passes the key on
      }
    };
    if (!w.async) {
      complete.run();
      return;
    }
    try {
      executor.execute(complete);
    } catch (RejectedExecutionException e) {
      complete.run();
    }
  }

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

  private void reportFailure(String operation, CacheKey key, RuntimeException e) {
    notify(() -> listener.storageFailed(operation, key, e));
  }

  /** Runs a listener hook; a hook that throws must not break the cache. */
  private static void notify(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException ignored) {
      // documented: hooks' exceptions are ignored
    }
  }

  /** The read-back of a write on a store that cannot stream: readers wait for the commit. */
  private final class CommittedReadBack implements StoredObject {
    private final Fill fill;

    CommittedReadBack(Fill fill) {
      this.fill = fill;
    }

    @Override
    public ObjectMeta meta() {
      StoredObject o = lookupStreamingWrite(fill.target, fill.writeTag);
      return o != null ? o.meta() : new RefusedReadBack(fill).meta();
    }

    @Override
    public boolean complete() {
      return fill.done.getNow(false);
    }

    @Override
    public long hits() {
      return 0;
    }

    @Override
    public long recordHit() {
      return 0;
    }

    @Override
    public HitHandler openBody() throws IOException {
      boolean committed;
      try {
        committed = fill.done.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the write");
      } catch (ExecutionException e) {
        throw new IOException(e.getCause());
      }
      StoredObject o = committed ? lookupStreamingWrite(fill.target, fill.writeTag) : null;
      if (o == null) {
        throw new IOException("the write failed; its body is incomplete");
      }
      return o.openBody();
    }
  }

  /** The read-back of a write the store refused: there is nothing to read back. */
  private static final class RefusedReadBack implements StoredObject {
    private final ObjectMeta meta;

    RefusedReadBack(Fill fill) {
      this.meta = new ObjectMeta(ObjectMeta.Kind.OBJECT, 0, 0, 0, 0, 0, 0, 0, -1, List.of(), Set.of(),
          new byte[0], false, 0, 0, -1);
    }

    @Override
    public ObjectMeta meta() {
      return meta;
    }

    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public long hits() {
      return 0;
    }

    @Override
    public long recordHit() {
      return 0;
    }

    @Override
    public HitHandler openBody() throws IOException {
      throw new IOException("the store refused this object (too large, or unavailable): nothing to read back");
    }
  }
}
