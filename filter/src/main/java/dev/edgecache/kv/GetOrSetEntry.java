package dev.edgecache.kv;

import java.time.Duration;

/**
 * What {@link KeyValueCache#getOrSetEntry} found, as the WASI keyvalue {@code get-or-set-entry}:
 * the value ({@link Occupied}), or a {@link Vacancy} that this caller, alone among those who
 * asked meanwhile, must fill or close.
 *
 * @param <V> the value type
 */
public sealed interface GetOrSetEntry<V> permits GetOrSetEntry.Occupied, GetOrSetEntry.Vacant {
  /** The key has a value. */
  record Occupied<V>(V value) implements GetOrSetEntry<V> {}

  /** The key has no value and this caller is to set it. */
  record Vacant<V>(Vacancy<V> vacancy) implements GetOrSetEntry<V> {}

  /**
   * The right to set a key that had no value (WASI {@code vacancy}): the callers that asked for
   * the key meanwhile wait until it is filled or closed. Closing it unfilled passes the right to
   * the next of them, or lets them go on their own; a vacancy left open past the cache's lock
   * timeout is given up the same way.
   *
   * @param <V> the value type
   */
  interface Vacancy<V> extends AutoCloseable {
    /**
     * Sets the key to {@code value} for {@code ttl}, its TTL chosen now (WASI
     * {@code vacancy-fill}); the waiting callers get it. A value made before a delete of the key
     * is not kept after it.
     *
     * @throws IllegalStateException if the vacancy was filled or closed already
     * @throws IllegalArgumentException if {@code ttl} is negative or zero
     */
    void fill(V value, Duration ttl);

    /** As {@link #fill(Object, Duration)}, with the face's default TTL (kept until evicted if none). */
    void fill(V value);

    /** Gives the vacancy up unfilled, if it was not filled. */
    @Override
    void close();
  }
}
