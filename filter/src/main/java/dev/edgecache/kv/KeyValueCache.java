package dev.edgecache.kv;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * A key-value face over the edge cache for application data, after the WASI keyvalue
 * {@code cache} interface and cascache: typed values through a {@link Codec}, a get-or-set whose
 * loader runs once per key however many callers wait, and compare-and-swap writes through
 * generation snapshots, so a value read from a database before a purge is never written back
 * after it.
 *
 * <pre>{@code
 * long generation = users.generation(id);      // before reading the database
 * User user = database.load(id);
 * users.setIfGeneration(id, user, generation, Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Thread-safe. Keys must be non-null and non-empty. Values are never null. Async variants
 * complete on the caller's thread when nothing waits, else on the thread that releases them;
 * {@link #getOrSetAsync} and {@link #getOrSetEntry} complete on the cache's executor.
 *
 * @param <V> the value type
 */
public interface KeyValueCache<V> {
  /** The value of {@code key}, if one was set and its TTL has not run out. */
  Optional<V> get(String key);

  /** Whether {@code key} has a value. */
  boolean exists(String key);

  /**
   * Sets {@code key} to {@code value} for {@code ttl}.
   *
   * @throws IllegalArgumentException if {@code ttl} is negative or zero
   */
  void set(String key, V value, Duration ttl);

  /**
   * Sets {@code key} to {@code value} for the face's default TTL, or, without one, until the
   * cache evicts it (WASI {@code set} without a TTL).
   */
  void set(String key, V value);

  /**
   * The value of {@code key}, or the vacancy to fill if it has none (WASI {@code get-or-set}):
   * of the callers that ask for a key with no value at the same time, one gets the vacancy and
   * the others wait, without a thread, until it is filled (they then get the value) or given up
   * (the next gets the vacancy). The TTL is chosen when the vacancy is filled.
   */
  CompletionStage<GetOrSetEntry<V>> getOrSetEntry(String key);

  /** Removes {@code key}'s value and bumps its generation. Returns whether it had one. */
  boolean delete(String key);

  /**
   * The value of {@code key}; if it has none, runs {@code loader} once for all concurrent callers
   * (the vacancy rendezvous), sets the result for {@code ttl} and returns it to each of them. If
   * the loader throws, every waiting caller gets that exception (wrapped in a
   * {@link LoaderException} if checked) and nothing is stored; the next call tries again.
   */
  V getOrSet(String key, Duration ttl, Callable<? extends V> loader);

  /** The generation of {@code key}: take it before reading the source of a value. */
  long generation(String key);

  /**
   * Sets {@code key} only if its generation is still {@code observedGeneration}: a delete or purge
   * since the snapshot makes the write a no-op.
   *
   * @return whether the value was written
   */
  boolean setIfGeneration(String key, V value, long observedGeneration, Duration ttl);

  /**
   * The values of {@code keys} that are present, each validated on its own: a member whose
   * generation moved while it was read is left out.
   */
  Map<String, V> getAll(Collection<String> keys);

  /**
   * The generations of several keys (cascache's {@code SnapshotGens}), in the order asked: take
   * them before reading the sources of the values. A key whose generation could not be read has
   * -1, which no write matches (the listener hears {@code generationSnapshotFailed}).
   */
  Map<String, Long> generations(Collection<String> keys);

  /**
   * Sets every item only if each one's generation is still the one observed (cascache's
   * {@code SetBulkWithGens}): if any moved (a delete since the snapshot), none is written and the
   * listener hears {@code bulkRejected}. A delete of a member while the items are written keeps
   * that member from being served.
   *
   * @return whether the items were written, each with its observed generation still current
   * @throws MissingGenerationsException if an item has no observed generation; nothing is written
   */
  boolean setAllIfGenerations(Map<String, V> items, Map<String, Long> observedGenerations, Duration ttl);

  /**
   * The values of {@code keys}, the keys without one, and whether the read was rejected as a
   * whole (cascache's {@code GetBulk}): a member whose generation moved while the bulk was read
   * is counted missing, and the read says {@link BulkRejectReason#INVALID_OR_STALE}.
   */
  BulkRead<V> getBulk(Collection<String> keys);

  CompletionStage<Optional<V>> getAsync(String key);

  CompletionStage<Boolean> existsAsync(String key);

  CompletionStage<Void> setAsync(String key, V value, Duration ttl);

  CompletionStage<Boolean> deleteAsync(String key);

  /** As {@link #getOrSet}; waiting callers hold no thread while the loader runs. */
  CompletionStage<V> getOrSetAsync(String key, Duration ttl, Callable<? extends V> loader);

  CompletionStage<Boolean> setIfGenerationAsync(
      String key, V value, long observedGeneration, Duration ttl);

  CompletionStage<Map<String, V>> getAllAsync(Collection<String> keys);
}
