package dev.edgecache.internal;

import static dev.edgecache.spi.ObjectMeta.saturatedAdd;

import dev.edgecache.LookupState;
import dev.edgecache.spi.ObjectMeta;
import java.util.EnumSet;

/**
 * Where an object stands in time: fresh, usable while revalidating (RFC 5861 §3,
 * stale-while-revalidate), usable if the refresh fails (RFC 5861 §4, stale-if-error). Pure.
 *
 * @param fresh before the end of the freshness lifetime
 * @param withinStaleWhileRevalidate stale, within stale-while-revalidate
 * @param withinStaleIfError stale, within stale-if-error
 * @param ageMillis the object's current age: its initial age plus its time in this cache
 */
record Freshness(
    boolean fresh, boolean withinStaleWhileRevalidate, boolean withinStaleIfError, long ageMillis) {

  static Freshness of(ObjectMeta meta, long nowMillis) {
    long freshUntil = meta.freshUntilMillis();
    boolean fresh = nowMillis < freshUntil;
    boolean swr = !fresh && nowMillis < saturatedAdd(freshUntil, meta.staleWhileRevalidateMillis());
    boolean sie = !fresh && nowMillis < saturatedAdd(freshUntil, meta.staleIfErrorMillis());
    long age = Math.max(0, saturatedAdd(meta.initialAgeMillis(), nowMillis - meta.createdAtMillis()));
    return new Freshness(fresh, swr, sie, age);
  }

  /**
   * The flags of a found object outside a transaction: usable while fresh or within
   * stale-while-revalidate, usable-if-error within stale-if-error.
   */
  EnumSet<LookupState> foundState() {
    EnumSet<LookupState> state = EnumSet.of(LookupState.FOUND);
    if (fresh) {
      state.add(LookupState.USABLE);
      return state;
    }
    state.add(LookupState.STALE);
    if (withinStaleWhileRevalidate) {
      state.add(LookupState.USABLE);
    }
    if (withinStaleIfError) {
      state.add(LookupState.USABLE_IF_ERROR);
    }
    return state;
  }
}
