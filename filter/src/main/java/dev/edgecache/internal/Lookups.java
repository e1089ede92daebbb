package dev.edgecache.internal;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;

import dev.edgecache.CacheListener;
import dev.edgecache.CacheStateException;
import dev.edgecache.LookupState;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Serves the callers of transactional lookups and replacements: a hit, a stale hit, a pass, a
 * place in the key's flight ({@link LockTable}), or the stream of the owner's write. It is also
 * where the lock table's released waiters go ({@link Dispatch}). The owner's moves are
 * {@link Fills}; the entries it hands out are made by {@link Entries}. These three are made
 * together here.
 */
final class Lookups implements Dispatch {
  private final GuardedStorage guarded;
  private final Clock clock;
  private final Deadlines deadlines;
  private final LockTable locks;
  private final Fills fills;
  private final Entries entries;

  /**
   * @param executor where a waiter that waited asynchronously is handed its entry
   * @param blockingWork where non-blocking reads of a body wait for a store that cannot follow a
   *     write without it, and where the lock table's wake-ups look at the store
   * @param deadlines where the lock table's deadlines run
   */
  Lookups(GuardedStorage guarded, Clock clock, Duration lockTimeout, int maxUserMetadataLength,
      int maxVariantsPerKey, CacheListener listener, Executor executor, Executor blockingWork,
      Deadlines deadlines) {
    this.guarded = guarded;
    this.clock = clock;
    this.deadlines = deadlines;
    this.locks = new LockTable(this, guarded, clock, lockTimeout, listener, deadlines, blockingWork);
    this.fills = new Fills(locks, this, guarded, clock, maxUserMetadataLength, maxVariantsPerKey, blockingWork);
    this.entries = new Entries(fills, clock, executor);
  }

  LockTable locks() {
    return locks;
  }

  /** The owner's moves, which entries and writes hold. */
  Fills fills() {
    return fills;
  }

  /** The entries these lookups make and deliver. */
  Entries entries() {
    return entries;
  }

  /** One try at serving a waiter after a lookup in the store. */
  @Override
  public void lookAgain(Waiter w) {
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
      if (deadlines.stopped()) {
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
            Transaction t = locks.tryOwnNow(r, w.options);
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
      locks.join(w, r);
    } catch (RuntimeException | Error e) {
      w.fail(e);
    }
  }

  /**
   * A streaming waiter taken out of its flight that may not wait any longer: it hits if the key
   * is fresh now, else goes to the origin on its own, owning nothing.
   */
  @Override
  public void alone(Waiter w) {
    Resolution r = takenOut(w);
    if (r != null) {
      entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
    }
  }

  @Override
  public void collapseLocally(Waiter w) {
    Resolution r = takenOut(w);
    if (r == null) {
      return;
    }
    try {
      locks.joinLocally(w, r);
    } catch (RuntimeException | Error e) {
      w.fail(e);
    }
  }

  /**
   * A waiter taken out of its flight looks again: given a hit if the key is fresh now (null
   * returned), else what the store holds for it; null too if it is done or the store threw.
   */
  private Resolution takenOut(Waiter w) {
    w.cancelDeadline();
    Resolution r = w.isDone() ? null : resolveFor(w);
    if (r != null && r.object() != null) {
      Freshness fresh = Freshness.of(r.object().meta(), r.nowMillis());
      if (fresh.fresh()) {
        entries.deliver(w, entries.found(r, fresh, Entries.HIT, w.options, null));
        return null;
      }
    }
    return r;
  }

  /**
   * Hands a granted ownership to its waiter. The previous owner may have committed between this
   * waiter's lookup and its taking the lock, so a lookup looks once more before owning.
   */
  @Override
  public void grant(Transaction t, Waiter w) {
    Resolution r = guarded.resolve(w.key, w.options.requestHeaders());
    if (w.takesStream() && r.object() != null && r.key().equals(t.flight.key)) {
      Freshness f = Freshness.of(r.object().meta(), r.nowMillis());
      if (f.fresh()) {
        locks.handOver(t, Release.EVERYONE_LOOKS_AGAIN);
        entries.deliver(w, entries.found(r, f, Entries.HIT, w.options, null));
        return;
      }
    }
    if (!r.key().equals(t.flight.key) && r.key().primary().equals(t.flight.key.primary())) {
      // A vary rule was written since this waiter's lookup (a fill of the key went to a variant
      // and may have ended already): this key is not the one to own; the variant's flight is.
      locks.handOver(t, Release.EVERYONE_LOOKS_AGAIN);
      attempt(w, r);
      return;
    }
    if (r.key().equals(t.flight.key)) {
      t.resolution = r;
    }
    if (w.takesStream()) {
      entries.deliver(w, entries.owner(t));
    } else {
      ReplacementEntry e = new ReplacementEntry(fills, t.resolution.object(), clock.millis(), w.options, t);
      if (!w.replace.complete(e)) {
        e.close();
      }
    }
  }

  @Override
  public void followWrite(Waiter w, Fill fill) {
    StoredObject o = guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag);
    if (o == null) {
      lookAgain(w);
    } else {
      stream(w, o);
    }
  }

  @Override
  public void stream(Waiter w, StoredObject o) {
    entries.deliver(w, entries.streaming(o, w.options));
  }

  @Override
  public void passAll(List<Waiter> waiters, Resolution r) {
    for (Waiter w : waiters) {
      if (w.takesStream()) {
        entries.deliver(w, entries.owner(new Transaction(null, r, w.options, null)));
      } else {
        lookAgain(w);
      }
    }
  }

  /** Fails every queued waiter: the cache was closed. */
  void failAll() {
    locks.drainAll().forEach(w -> w.fail(new CacheStateException("the cache was closed")));
  }

  /** Whether an object was stored with no freshness at all: it can only ever be revalidated. */
  private static boolean neverFresh(ObjectMeta m) {
    return m.freshForMillis() <= m.initialAgeMillis();
  }
}
