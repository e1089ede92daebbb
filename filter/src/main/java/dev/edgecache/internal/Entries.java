package dev.edgecache.internal;

import static dev.edgecache.LookupState.FOUND;
import static dev.edgecache.LookupState.MUST_INSERT_OR_UPDATE;
import static dev.edgecache.LookupState.STALE;
import static dev.edgecache.LookupState.USABLE;
import static dev.edgecache.LookupState.USABLE_IF_ERROR;

import dev.edgecache.CacheEntry;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.spi.StoredObject;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Makes the entries a lookup gives (a hit, an owner's, a stream of another's write) and hands
 * them to the callers that waited for them: the one place entries are made, so that the lock
 * table and the façade both use it and neither calls the other back.
 */
final class Entries {
  /** The flags of a hit. */
  static final Set<LookupState> HIT = states(EnumSet.of(FOUND, USABLE));

  private final OwnerMoves moves;
  private final Clock clock;
  private final Executor executor;

  /**
   * @param moves what an owner's entry does with its key
   * @param executor where a waiter that waited asynchronously is handed its entry
   */
  Entries(OwnerMoves moves, Clock clock, Executor executor) {
    this.moves = moves;
    this.clock = clock;
    this.executor = executor;
  }

  /** An unmodifiable set of lookup flags. */
  static Set<LookupState> states(EnumSet<LookupState> flags) {
    return java.util.Collections.unmodifiableSet(flags);
  }

  /** The entry of a found object, counted as a hit if it is usable. */
  Entry found(Resolution r, Freshness f, Set<LookupState> state, LookupOptions options, Transaction t) {
    long hits = state.contains(USABLE) ? r.object().recordHit() : -1;
    return new Entry(moves, state, r.object(), f.ageMillis(), hits, options, t);
  }

  /** The entry of an owner: the key, plus the stale object it may fall back on. */
  Entry owner(Transaction t) {
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
    return new Entry(moves, states(state), stale, age, -1, t.options, t);
  }

  /** The entry of a caller that follows another's write as it goes. */
  Entry streaming(StoredObject o, LookupOptions options) {
    return new Entry(moves, HIT, o, o.meta().initialAgeMillis(), o.recordHit(), options, null, !o.complete());
  }

  /** Hands {@code entry} to the waiter; a waiter that gave up has it closed (an owner's passes the key on). */
  void deliver(Waiter w, CacheEntry entry) {
    w.cancelDeadline();
    Runnable complete = () -> {
      if (!w.entry.complete(entry)) {
        entry.close();
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
}
