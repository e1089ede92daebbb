package dev.edgecache.internal;

import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.CacheStateException;
import dev.edgecache.LookupOptions;
import dev.edgecache.RequestHeaders;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The owner's moves ({@link OwnerMoves}): a write that starts and ends, an update, a cancel, a
 * release. Each move changes the key's flight through the {@link LockTable}, and hands the
 * waiters it lets go to the {@link Dispatch}.
 */
final class Fills implements OwnerMoves {
  private final LockTable locks;
  private final Dispatch dispatch;
  private final GuardedStorage guarded;
  private final Clock clock;
  private final int maxUserMetadataLength;
  private final int maxVariantsPerKey;
  /** Where non-blocking reads of a body wait for a store that cannot follow a write without it. */
  private final Executor blockingWork;

  Fills(LockTable locks, Dispatch dispatch, GuardedStorage guarded, Clock clock,
      int maxUserMetadataLength, int maxVariantsPerKey, Executor blockingWork) {
    this.locks = locks;
    this.dispatch = dispatch;
    this.guarded = guarded;
    this.clock = clock;
    this.maxUserMetadataLength = maxUserMetadataLength;
    this.maxVariantsPerKey = maxVariantsPerKey;
    this.blockingWork = blockingWork;
  }

  @Override
  public boolean renew(LockLease lease) {
    return guarded.renew(lease);
  }

  @Override
  public long lockTimeoutMillis() {
    return locks.lockTimeout().toMillis();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Executor blockingWork() {
    return blockingWork;
  }

  @Override
  public CacheEntry readBack(Fill fill, LookupOptions options) {
    StoredObject o = ReadBacks.of(fill, guarded);
    return new Entry(this, Entries.HIT, o, o.meta().initialAgeMillis(), 0, options, null);
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
    boolean shared = false;
    try {
      if (!options.varyRule().isEmpty()) {
        if (tooManyVariants(primary, target)) {
          Fill discard = new Fill(this, t, target, null, options.length().orElse(-1), guarded.storage(), true);
          synchronized (t.monitor()) {
            t.fill = discard;
          }
          refused(t, false);
          return discard;
        }
        // The variant's flight is taken before the rule that leads lookups to it exists: a lookup
        // that finds the rule then queues behind this write rather than fetching on its own.
        locks.claimVariant(t, target);
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
      if (t.flight != null) {
        // The store is away: those waiting here stream this write from this JVM's memory rather
        // than each going to the origin (the stampede the cache exists to prevent). It is not
        // kept: nothing here can tell of purges elsewhere meanwhile.
        miss = guarded.openShared(target, meta);
        shared = miss != null;
      }
    }
    Fill fill = new Fill(this, t, target, miss, options.length().orElse(-1),
        shared ? guarded.sharing() : guarded.storage(), !shared);
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
  private void refused(Transaction t, boolean tooLarge) {
    locks.releaseVariant(t);
    List<Waiter> waiters = locks.endFlight(t);
    guarded.releaseLease(t.lease);
    if (tooLarge) {
      guarded.writeNotCacheable(t.resolution);
      dispatch.passAll(waiters, t.resolution);
    } else {
      waiters.forEach(dispatch::lookAgain);
    }
  }

  /** Makes a write visible to the waiters of its key. */
  private void attach(Transaction t, Fill fill) {
    Flight f = t.flight;
    if (f == null) {
      return;
    }
    boolean canStream = fill.store.supportsStreamingPartialWrite();
    if (fill.target.equals(f.key)) {
      LockTable.Started started = locks.startFill(f, t, fill, t.lease, canStream);
      guarded.publishWriteTag(t.lease, fill);
      started.stream().forEach(w -> dispatch.followWrite(w, fill));
      dispatch.passAll(started.pass(), t.resolution);
      return;
    }
    // The vary rule sent the object to another key than the one the lookup locked: the write
    // takes that key's flight, claimed before the rule was written if nobody held it, and the
    // waiters of the locked key look again (they now find the vary rule, and this write if their
    // variant is the same). Those already queued on the variant are served as on a locked key.
    Flight target = t.variantFlight;
    LockLease targetLease = null;
    LockTable.Started started = LockTable.Started.NONE;
    if (target != null && target.key.equals(fill.target)) {
      t.variantFlight = null;
      targetLease = t.variantLease;
      started = locks.startFill(target, t, fill, targetLease, canStream);
      if (fill.flight != target) {
        targetLease = null;
      }
    }
    guarded.publishWriteTag(targetLease, fill);
    started.stream().forEach(w -> dispatch.followWrite(w, fill));
    dispatch.passAll(started.pass(), t.resolution);
    // A lookup that resolved the locked key before the rule existed may own it anew once this
    // flight ends: its look before owning finds the rule, and it goes to the variant
    // ({@link Lookups#grant}).
    List<Waiter> again = locks.endFlight(t);
    guarded.releaseLease(t.lease);
    if (!fill.shareable) {
      // as on the locked key: a response no waiter could be given sends them all to the origin
      // on their own, not to look again (one would find this object stale and revalidate it,
      // and be given, on a 304, a page fetched for another client's request)
      dispatch.passAll(again, t.resolution);
    } else {
      again.forEach(dispatch::lookAgain);
    }
  }

  /** Called by a {@link Fill} once, when its write commits or aborts. */
  @Override
  public void fillEnded(Fill fill, boolean committed) {
    Transaction t = fill.txn;
    if (committed && !fill.sharedOnly() && !guarded.isCurrent(t.resolution)) {
      // A purge ran during the fill: the object can never be served; free its space now.
      guarded.purgeQuietly(fill.target);
    }
    List<Waiter> again = locks.endFill(fill);
    synchronized (t.monitor()) {
      t.state = Transaction.State.DONE;
    }
    guarded.releaseLease(fill.lease);
    fill.done.complete(committed);
    again.forEach(dispatch::lookAgain);
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
      updated = guarded.storage().updateMeta(r.key(), r.object(), meta);
    } catch (StorageException e) {
      // a failing store never fails a caller: reported, and the update is lost, as a write is
      storeFailed = true;
      guarded.reportFailure("updateMeta", r.key().primary(), e);
    }
    List<Waiter> again = locks.endFlight(t);
    guarded.releaseLease(t.lease);
    again.forEach(dispatch::lookAgain);
    if (!updated && !storeFailed) {
      throw new CacheStateException("the object was removed before it could be updated");
    }
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
      locks.releaseAll(t, Transaction.State.DONE,
          notCacheable ? Release.EVERYONE_PASSES_REMEMBERED : Release.EVERYONE_PASSES);
    } else {
      locks.handOver(t, Release.TO_NEXT_WAITER);
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

  private void checkOwning(Transaction t) {
    switch (t.state) {
      case OWNING -> { }
      case LOST -> throw new CacheStateException("the key was given to another caller: the lock"
          + " timeout of " + locks.lockTimeout() + " passed before this transaction inserted or updated");
      default -> throw new CacheStateException(
          "this transaction has already inserted, updated or cancelled");
    }
  }
}
