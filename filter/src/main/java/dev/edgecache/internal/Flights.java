package dev.edgecache.internal;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.CacheStateException;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.RequestHeaders;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock protocol: one {@link Flight} per key being filled, with its owner and its queue. A
 * lookup is served (a hit, a stale hit, a pass) or joins the key's flight; the first to join
 * owns the key under the store's lock, the others queue with a deadline; the owner's moves (a
 * write that starts, ends, is not shareable; a cancel; the lock timeout) say what becomes of the
 * queue ({@link Release}). Owners on other nodes are followed by {@link RemoteOwnerWatch}.
 */
final class Flights implements OwnerMoves {
  private final Entries entries;
  private final Deadlines scheduler;
  private final GuardedStorage guarded;
  private final Clock clock;
  private final Duration lockTimeout;
  private final int maxUserMetadataLength;
  private final int maxVariantsPerKey;
  private final CacheListener listener;
  private final RemoteOwnerWatch remoteOwners;
  private final ConcurrentHashMap<StorageKey, Flight> keys = new ConcurrentHashMap<>();

  /** Where non-blocking reads of a body wait for a store that cannot follow a write without it. */
  private final java.util.concurrent.Executor blockingWork;

  /**
   * @param executor where a waiter that waited asynchronously is handed its entry
   * @param blockingWork where non-blocking reads of a body wait for a store that cannot follow a
   *     write without it
   * @param scheduler where the lock table's deadlines run
   */
  Flights(GuardedStorage guarded, Clock clock, Duration lockTimeout, int maxUserMetadataLength,
      int maxVariantsPerKey, CacheListener listener, java.util.concurrent.Executor executor,
      java.util.concurrent.Executor blockingWork, Deadlines scheduler) {
    this.entries = new Entries(this, clock, executor);
    this.scheduler = scheduler;
    this.blockingWork = blockingWork;
    this.guarded = guarded;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
    this.maxUserMetadataLength = maxUserMetadataLength;
    this.maxVariantsPerKey = maxVariantsPerKey;
    this.listener = listener;
    this.remoteOwners = new RemoteOwnerWatch(entries, this, guarded, clock, lockTimeout, scheduler, blockingWork);
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
      return guarded.resolve(w.key, w.options.requestHeaders());
    } catch (RuntimeException | Error e) {
      w.fail(e);
      return null;
    }
  }

  /** One try at serving a waiter: a hit, a stale hit, a pass, or a place in the key's flight. */
  void attempt(Waiter w, Resolution r) {
    if (w.isDone()) {
      return;
    }
    try {
      if (scheduler.stopped()) {
        throw new CacheStateException("the cache is closed");
      }
      if (w.takesStream()) {
        if (r.object() != null) {
          Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
          if (f.fresh()) {
            entries.deliver(w, entries.found(r, f, Entries.HIT, w.options, null));
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
            entries.deliver(w, entries.found(r, f, Entries.states(state), w.options, t));
            return;
          }
        }
        if (r.notCacheable() || (r.object() != null && neverFresh(r.object().meta()))) {
          // Hit-for-miss, or an object stored only to be revalidated (no-cache, max-age=0):
          // no waiter could be given another's answer, so nobody waits (RFC 9111 §4).
          entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
          return;
        }
      }
      join(w, r);
    } catch (RuntimeException | Error e) {
      w.fail(e);
    }
  }

  /** Queues {@code w} in the flight of {@code r.key()}, or makes it the flight's owner. */
  void join(Waiter w, Resolution r) {
    Runnable after = null;
    while (after == null) {
      Flight f = keys.computeIfAbsent(r.key(), Flight::new);
      synchronized (f) {
        if (f.retired) {
          continue;
        }
        if (f.fill != null && w.takesStream()) {
          Fill fill = f.fill;
          after = fill.shareable ? () -> deliverStream(w, fill)
              : () -> entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
        } else if (f.owner != null || f.watchingRemote) {
          queue(f, w);
          after = () -> GuardedStorage.notify(() -> listener.collapsed(w.key));
        } else {
          LockLease lease = guarded.acquire(r.key());
          if (lease == null) {
            f.watchingRemote = true;
            queue(f, w);
            after = () -> remoteOwners.watch(f);
          } else {
            Transaction t = new Transaction(f, r, w.options, lease == GuardedStorage.LOCAL_ONLY ? null : lease);
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
    if (w.takesStream()) {
      w.deadline = scheduler.later(lockTimeout.toMillis(), () -> waitedTooLong(f, w));
    }
  }

  /** A lookup's deadline passed while it was still queued: it owns the key alone, or hits. */
  private void waitedTooLong(Flight f, Waiter w) {
    synchronized (f) {
      if (!f.waiters.remove(w)) {
        return;
      }
    }
    alone(w);
  }

  /**
   * A streaming waiter taken out of its flight that may not wait any longer: it hits if the key
   * is fresh now, else goes to the origin on its own, owning nothing.
   */
  void alone(Waiter w) {
    w.cancelDeadline();
    Resolution r = w.isDone() ? null : resolveFor(w);
    if (r == null) {
      return;
    }
    if (r.object() != null) {
      Freshness fresh = Freshness.of(r.object().meta(), r.nowMillis());
      if (fresh.fresh()) {
        entries.deliver(w, entries.found(r, fresh, Entries.HIT, w.options, null));
        return;
      }
    }
    entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
  }

  /**
   * Hands a granted ownership to its waiter. The previous owner may have committed between this
   * waiter's lookup and its taking the lock, so a lookup looks once more before owning.
   */
  private void grant(Transaction t, Waiter w) {
    Resolution r = guarded.resolve(w.key, w.options.requestHeaders());
    if (w.takesStream() && r.object() != null && r.key().equals(t.flight.key)) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        handOver(t, Release.EVERYONE_LOOKS_AGAIN);
        entries.deliver(w, entries.found(r, f, Entries.HIT, w.options, null));
        return;
      }
    }
    if (!r.key().equals(t.flight.key) && r.key().primary().equals(t.flight.key.primary())) {
      // A vary rule was written since this waiter's lookup (a fill of the key went to a variant
      // and may have ended already): this key is not the one to own; the variant's flight is.
      handOver(t, Release.EVERYONE_LOOKS_AGAIN);
      attempt(w, r);
      return;
    }
    if (r.key().equals(t.flight.key)) {
      t.resolution = r;
    }
    if (w.takesStream()) {
      entries.deliver(w, entries.owner(t));
    } else {
      ReplacementEntry e = new ReplacementEntry(this, t.resolution.object(), clock.millis(), w.options, t);
      if (!w.replace.complete(e)) {
        e.close();
      }
    }
  }

  /** Owns the key now if nobody does, without waiting; null otherwise. */
  Transaction tryOwnNow(Resolution r, LookupOptions options) {
    Flight f = keys.computeIfAbsent(r.key(), Flight::new);
    synchronized (f) {
      if (f.retired || f.owner != null || f.fill != null || f.watchingRemote) {
        return null;
      }
      LockLease lease = guarded.acquire(r.key());
      if (lease == null) {
        if (f.waiters.isEmpty()) {
          retire(f);
        }
        return null;
      }
      Transaction t = new Transaction(f, r, options, lease == GuardedStorage.LOCAL_ONLY ? null : lease);
      f.owner = t;
      scheduleLockTimeout(t);
      return t;
    }
  }

  // ------------------------------------------------------------------ the owner's moves

  @Override
  public boolean renew(dev.edgecache.spi.LockLease lease) {
    return guarded.renew(lease);
  }

  @Override
  public long lockTimeoutMillis() {
    return lockTimeout.toMillis();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public dev.edgecache.CacheEntry readBack(Fill fill, LookupOptions options) {
    dev.edgecache.spi.StoredObject o = ReadBacks.of(fill, guarded);
    return new Entry(this, Entries.HIT, o, o.meta().initialAgeMillis(), 0, options, null);
  }

  /** The entries this lock table makes and delivers. */
  Entries entries() {
    return entries;
  }

  /** Gives the waiter the write it follows, or, if the write already failed, has it look again. */
  void deliverStream(Waiter w, Fill fill) {
    StoredObject o = guarded.lookupStreamingWrite(fill.target, fill.writeTag);
    if (o == null) {
      attempt(w);
    } else {
      entries.deliver(w, entries.streaming(o, w.options));
    }
  }

  @Override
  public java.util.concurrent.Executor blockingWork() {
    return blockingWork;
  }

  /** Refuses options whose user metadata is over the limit, as every write does. */
  private void checkUserMetadata(WriteOptions options) {
    Objects.requireNonNull(options, "options must not be null");
    byte[] userMetadata = options.userMetadata();
    if (userMetadata.length > maxUserMetadataLength) {
      throw new IllegalArgumentException("user metadata is " + userMetadata.length
          + " bytes, more than the maximum of " + maxUserMetadataLength);
    }
  }

  /** Starts the owner's write: the flight's waiters are released to stream it. */
  @Override
  public Fill beginFill(Transaction t, WriteOptions options) {
    checkUserMetadata(options);
    synchronized (t.monitor()) {
      checkOwning(t);
      t.state = Transaction.State.FILLING;
      t.cancelTimer();
    }
    Resolution r = t.resolution;
    CacheKey primary = r.key().primary();
    RequestHeaders headers = options.requestHeaders().orElse(t.options.requestHeaders());
    StorageKey target = VaryKeys.variant(primary, options.varyRule(), headers);
    ObjectMeta meta = guarded.objectMeta(options, clock.millis(), r);
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
        // The variant's flight is taken before the rule that leads lookups to it exists: a lookup
        // that finds the rule then queues behind this write rather than fetching on its own.
        claimVariant(t, target);
        guarded.writeVaryRule(primary, meta, r);
      }
      miss = guarded.storage().openMiss(target, meta);
    } catch (ObjectTooLargeException e) {
      tooLarge = true;
    } catch (RuntimeException e) {
      // Whatever the store threw, the owner must still be able to stream its response, and
      // the waiters must not be left behind a write that never started.
      guarded.reportFailure("openMiss", primary, e instanceof StorageException se ? se
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
      Set<StorageKey> keys = guarded.storage().keysOf(primary);
      long variants = keys.stream().filter(StorageKey::hasVariant).count();
      return !keys.contains(target) && variants >= maxVariantsPerKey;
    } catch (StorageException e) {
      guarded.reportFailure("keysOf", primary, e);
      return false;
    }
  }

  /**
   * The store refused the write: the owner streams its response uncached, and nobody should wait
   * for it. Too large is a property of the response, so it is remembered as hit-for-miss.
   */
  /** Takes the flight of {@code target}, a variant key other than the locked one, if nobody holds it. */
  private void claimVariant(Transaction t, StorageKey target) {
    if (t.flight == null || target.equals(t.flight.key)) {
      return;
    }
    Flight f = keys.computeIfAbsent(target, Flight::new);
    synchronized (f) {
      if (!f.retired && f.owner == null && f.fill == null && !f.watchingRemote) {
        LockLease lease = guarded.acquire(target);
        if (lease != null) {
          f.owner = t;
          t.variantFlight = f;
          t.variantLease = lease == GuardedStorage.LOCAL_ONLY ? null : lease;
        } else if (f.waiters.isEmpty()) {
          retire(f);
        }
      }
    }
  }

  /** Gives up a claimed variant flight without a write: its waiters look again. */
  private void releaseVariant(Transaction t) {
    Flight f = t.variantFlight;
    if (f == null) {
      return;
    }
    t.variantFlight = null;
    List<Waiter> again;
    synchronized (f) {
      if (f.owner != t) {
        return;
      }
      f.owner = null;
      retire(f);
      again = f.drain();
    }
    guarded.releaseLease(t.variantLease);
    again.forEach(this::attempt);
  }

  private void refused(Transaction t, boolean tooLarge) {
    releaseVariant(t);
    List<Waiter> waiters = endFlight(t);
    guarded.releaseLease(t.lease);
    if (tooLarge) {
      guarded.writeNotCacheable(t.resolution);
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
          stream = guarded.storage().supportsStreamingPartialWrite() ? f.drainStreamable() : List.of();
        }
      }
      guarded.publishWriteTag(t.lease, fill);
      for (Waiter w : stream) {
        deliverStream(w, fill);
      }
      passAll(released, t.resolution);
      return;
    }
    // The vary rule sent the object to another key than the one the lookup locked: the write
    // takes that key's flight, claimed before the rule was written if nobody held it, and the
    // waiters of the locked key look again (they now find the vary rule, and this write if their
    // variant is the same). Those already queued on the variant are served as on a locked key.
    Flight target = t.variantFlight;
    LockLease targetLease = null;
    List<Waiter> stream = List.of();
    List<Waiter> released = List.of();
    if (target != null && target.key.equals(fill.target)) {
      t.variantFlight = null;
      synchronized (target) {
        if (target.owner == t) {
          target.fill = fill;
          fill.flight = target;
          targetLease = t.variantLease;
          fill.lease = targetLease;
          if (!fill.shareable) {
            released = target.drain();
          } else if (guarded.storage().supportsStreamingPartialWrite()) {
            stream = target.drainStreamable();
          }
        }
      }
    }
    guarded.publishWriteTag(targetLease, fill);
    for (Waiter w : stream) {
      deliverStream(w, fill);
    }
    passAll(released, t.resolution);
    // A lookup that resolved the locked key before the rule existed may own it anew once this
    // flight ends: its look before owning finds the rule, and it goes to the variant ({@link #grant}).
    List<Waiter> again = endFlight(t);
    guarded.releaseLease(t.lease);
    if (!fill.shareable) {
      // as on the locked key: a response no waiter could be given sends them all to the origin
      // on their own, not to look again (one would find this object stale and revalidate it,
      // and be given, on a 304, a page fetched for another client's request)
      passAll(again, t.resolution);
    } else {
      again.forEach(this::attempt);
    }
  }

  /** Called by a {@link Fill} once, when its write commits or aborts. */
  @Override
  public void fillEnded(Fill fill, boolean committed) {
    Transaction t = fill.txn;
    Resolution r = t.resolution;
    if (committed && !guarded.isCurrent(r)) {
      // A purge ran during the fill: the object can never be served; free its space now.
      guarded.purgeQuietly(fill.target);
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
    guarded.releaseLease(fill.lease);
    fill.done.complete(committed);
    again.forEach(this::attempt);
  }

  /** Revalidation: new metadata for the found object, same body. */
  @Override
  public void update(Transaction t, WriteOptions options) {
    checkUserMetadata(options); // the same limit as an insert's
    Resolution r = t.resolution;
    synchronized (t.monitor()) {
      checkOwning(t);
      if (r.object() == null) {
        throw new CacheStateException("there is no object to update; insert one instead");
      }
      t.state = Transaction.State.DONE;
      t.cancelTimer();
    }
    ObjectMeta meta = guarded.objectMeta(options, clock.millis(), r).withLength(r.object().meta().length());
    boolean updated = false;
    boolean storeFailed = false;
    try {
      updated = guarded.storage().updateMeta(r.key(), meta);
    } catch (StorageException e) {
      // a failing store never fails a caller: reported, and the update is lost, as a write is
      storeFailed = true;
      guarded.reportFailure("updateMeta", r.key().primary(), e);
    }
    List<Waiter> again = endFlight(t);
    guarded.releaseLease(t.lease);
    again.forEach(this::attempt);
    if (!updated && !storeFailed) {
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
  @Override
  public void cancel(Transaction t, Cancel how) {
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
        guarded.writeNotCacheable(t.resolution);
      }
      return;
    }
    if (t.flight == null) {
      synchronized (t.monitor()) {
        t.state = Transaction.State.DONE;
      }
      if (notCacheable) {
        guarded.writeNotCacheable(t.resolution);
      }
    } else if (how != Cancel.HAND_OVER) {
      releaseAll(t, Transaction.State.DONE, notCacheable ? Release.EVERYONE_PASSES_REMEMBERED : Release.EVERYONE_PASSES);
    } else {
      handOver(t, Release.TO_NEXT_WAITER);
    }
  }

  /** Closing an entry: cancels only a transaction that has not started anything. */
  @Override
  public void release(Transaction t) {
    synchronized (t.monitor()) {
      if (t.state != Transaction.State.OWNING) {
        return;
      }
    }
    cancel(t, Cancel.HAND_OVER);
  }

  /**
   * Ends {@code t}'s ownership before any write: {@link Release#TO_NEXT_WAITER}, the next live
   * waiter becomes the owner under the same store lock (or, nobody waiting, the flight ends);
   * {@link Release#EVERYONE_LOOKS_AGAIN}, the flight ends and every waiter looks again.
   */
  private void handOver(Transaction t, Release how) {
    if (how != Release.TO_NEXT_WAITER && how != Release.EVERYONE_LOOKS_AGAIN) {
      throw new IllegalArgumentException("a hand-over cannot " + how);
    }
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
      if (how == Release.TO_NEXT_WAITER) {
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
      guarded.releaseLease(t.lease);
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
    if (releaseAll(t, Transaction.State.LOST, Release.EVERYONE_PASSES)) {
      GuardedStorage.notify(() -> listener.lockTimedOut(t.flight.key.primary()));
    }
  }

  /** Whether an object was stored with no freshness at all: it can only ever be revalidated. */
  private static boolean neverFresh(ObjectMeta m) {
    return m.freshForMillis() <= m.initialAgeMillis();
  }

  /**
   * Ends {@code t}'s ownership in state {@code end} and releases every waiter at once (the
   * response may not be shared, or the owner timed out); with
   * {@link Release#EVERYONE_PASSES_REMEMBERED} a hit-for-miss marker keeps later callers from
   * queueing either. False if {@code t} no longer owned the key.
   */
  private boolean releaseAll(Transaction t, Transaction.State end, Release how) {
    if (how != Release.EVERYONE_PASSES && how != Release.EVERYONE_PASSES_REMEMBERED) {
      throw new IllegalArgumentException("a release of all cannot " + how);
    }
    boolean remember = how == Release.EVERYONE_PASSES_REMEMBERED;
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
      guarded.writeNotCacheable(t.resolution);
    }
    guarded.releaseLease(t.lease);
    passAll(waiters, t.resolution);
    return true;
  }

  /** Every lookup waiter becomes an owner that nobody waits for; replacements look again. */
  void passAll(List<Waiter> waiters, Resolution r) {
    for (Waiter w : waiters) {
      if (w.takesStream()) {
        entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
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
    t.timer = scheduler.later(lockTimeout.toMillis(), () -> timedOut(t));
  }

  void retire(Flight f) {
    f.retired = true;
    keys.remove(f.key, f);
  }


  /** A write in progress under {@code key}, in this JVM or another node, if one can be followed. */
  StoredObject streamingWriteOf(StorageKey key) {
    Flight f = keys.get(key);
    Fill fill = null;
    if (f != null) {
      synchronized (f) {
        fill = f.fill;
      }
    }
    if (fill != null) {
      return guarded.lookupStreamingWrite(fill.target, fill.writeTag);
    }
    LockInfo info = guarded.lockHolder(key).orElse(null);
    return info != null && info.writing() ? guarded.lookupStreamingWrite(key, info.writeTag()) : null;
  }
  /** Whether a fill of {@code key} (any variant) is under way in this JVM. */
  /** Keys in flight, the fills among them, and the waiters queued behind them, now. */
  dev.edgecache.CacheActivity activity() {
    int flights = 0;
    int fills = 0;
    int waiters = 0;
    for (Flight f : keys.values()) {
      synchronized (f) {
        flights++;
        fills += f.fill != null ? 1 : 0;
        waiters += f.waiters.size();
      }
    }
    return new dev.edgecache.CacheActivity(flights, fills, waiters);
  }

  boolean flying(CacheKey key) {
    for (StorageKey inFlight : keys.keySet()) {
      if (inFlight.primary().equals(key)) {
        return true;
      }
    }
    return false;
  }
  /** Fails every queued waiter: the cache was closed. */
  void failAll() {
    for (Flight f : keys.values()) {
      List<Waiter> waiters;
      synchronized (f) {
        waiters = f.drain();
      }
      waiters.forEach(w -> w.fail(new CacheStateException("the cache was closed")));
    }
  }
}
