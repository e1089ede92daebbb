package dev.edgecache.internal;

import dev.edgecache.spi.ObjectMeta;

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

  /** Whether any rule still lets the object be served. */
  boolean servable() {
    return fresh || withinStaleWhileRevalidate || withinStaleIfError;
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
