package dev.edgecache;

import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The core cache API, a Java rendering of Fastly's Core Cache: lookups with and without request
 * collapsing, inserts that readers stream while they are written, revalidation by update,
 * replacement, and purges by key, by surrogate key and of everything.
 *
 * <p>A typical fill:
 *
 * <pre>{@code
 * try (CacheEntry entry = cache.transactionLookup(key, LookupOptions.DEFAULT)) {
 *   if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
 *     byte[] body = origin.fetch();
 *     try (BodySink sink = entry.insert(WriteOptions.builder(Duration.ofMinutes(5)).build())) {
 *       sink.write(body);
 *     }
 *     return body;
 *   }
 *   return entry.body().readAllBytes();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Keys are checked on every call: null keys throw {@link NullPointerException},
 * keys longer than the configured maximum {@link IllegalArgumentException}. After {@link #close()}
 * every call throws {@link CacheStateException}. A failing store never fails a call: lookups miss
 * and writes are dropped, and the {@link CacheListener} is told.
 */
public interface EdgeCache extends AutoCloseable {
  /** A builder with the defaults: in-memory store, 5 s lock timeout. */
  static EdgeCacheBuilder builder() {
    return new EdgeCacheBuilder();
  }

  /**
   * The clock this cache tells time by (the builder's, the system's by default): objects' ages
   * and lifetimes are counted on it, and so should be anything that judges them, such as the
   * filter's request and response times.
   */
  java.time.Clock clock();

  /**
   * Looks {@code key} up without taking part in collapsing: a found object (fresh, or stale within
   * one of its windows), or an object another transaction is writing right now.
   */
  Optional<CacheEntry> lookup(CacheKey key, LookupOptions options);

  /** {@link #lookup(CacheKey, LookupOptions)} without request headers. */
  default Optional<CacheEntry> lookup(CacheKey key) {
    return lookup(key, LookupOptions.DEFAULT);
  }

  /**
   * Looks {@code key} up as a transaction: returns a usable object, or makes the caller the owner
   * of the key ({@link LookupState#MUST_INSERT_OR_UPDATE}), or waits while another owner fills it
   * and returns an entry that streams that fill. A stale object within stale-while-revalidate is
   * returned usable to every caller and owned by exactly one of them.
   *
   * @throws CacheStateException if the calling thread is interrupted while it waits
   */
  CacheEntry transactionLookup(CacheKey key, LookupOptions options);

  /** {@link #transactionLookup(CacheKey, LookupOptions)} without request headers. */
  default CacheEntry transactionLookup(CacheKey key) {
    return transactionLookup(key, LookupOptions.DEFAULT);
  }

  /**
   * As {@link #transactionLookup}, but returns at once: the store is asked on the cache's own
   * threads, and the stage completes, on the cache's executor ({@link EdgeCacheBuilder#executor}),
   * when the entry is ready, without holding a thread while it waits for another caller's fill;
   * chained stages may block on the body. Cancelling the stage gives up the place in the queue
   * (and the key, if it was granted meanwhile). Argument errors are thrown at once.
   */
  CompletionStage<CacheEntry> transactionLookupAsync(CacheKey key, LookupOptions options);

  /**
   * As {@link #transactionLookupAsync}, but the store is asked on the calling thread, so that a
   * lookup that needs no wait (a hit, or a key free to own) is done when this returns; only the
   * wait for another caller's fill holds no thread. For a caller whose own thread is there to do
   * the work, such as a servlet filter on a request thread; others use
   * {@link #transactionLookupAsync}.
   */
  CompletionStage<CacheEntry> transactionLookupNowOrLater(CacheKey key, LookupOptions options);

  /**
   * Inserts an object outside any transaction: it does not wait for, nor make lookups wait for,
   * a fill in progress (only a {@link ReplaceStrategy#WAIT} replacement of the key waits for it).
   * The object becomes visible when the sink is closed.
   */
  BodySink insert(CacheKey key, WriteOptions options);

  /** Starts a replacement of {@code key}'s object with the given strategy. */
  ReplaceEntry replace(CacheKey key, ReplaceOptions options);

  /**
   * Removes every variant of {@code key}. A write of the key in progress (a fill, or an insert
   * that holds no lock) will not commit visibly.
   *
   * @return whether any object was removed, or a write in progress was stopped
   */
  boolean purge(CacheKey key);

  /**
   * Marks every variant of {@code key} stale: it may still be served within its
   * stale-while-revalidate and stale-if-error windows, counted from now.
   *
   * @return whether any object was marked
   */
  boolean softPurge(CacheKey key);

  /**
   * Purges every key tagged with {@code surrogateKey}.
   *
   * @return the number of keys an object was removed from (or a write stopped): a key tagged
   *     whose object had gone already, or that held only a hit-for-miss marker, is not counted
   * @throws IllegalArgumentException if the tag is not a valid surrogate key
   */
  int purgeSurrogateKey(String surrogateKey);

  /**
   * Soft-purges every key tagged with {@code surrogateKey}; see {@link #softPurge}.
   *
   * @return the number of keys an object was marked stale under
   */
  int softPurgeSurrogateKey(String surrogateKey);

  /**
   * Purges every object in {@code scope} ({@link WriteOptions.Builder#purgeScopes}) in one step,
   * whatever their number: what was filled before counts as gone from the moment this returns,
   * in every process sharing the store, and a fill under way does not commit visibly.
   *
   * @return whether the purge was recorded; false if the store failed (the listener is told)
   * @throws IllegalArgumentException if the scope is not a valid purge scope
   */
  boolean purgeScope(String scope);

  /**
   * Marks every object in {@code scope} stale, as {@link #softPurge} does to a key: each may
   * still be served within its stale windows, counted from this purge.
   *
   * @return whether the purge was recorded; false if the store failed (the listener is told)
   * @throws IllegalArgumentException if the scope is not a valid purge scope
   */
  boolean softPurgeScope(String scope);

  /**
   * Removes every object. Fills in progress will not commit.
   *
   * @return whether the purge was recorded; false if the store failed and nothing may have been
   *     purged (the listener is told)
   */
  boolean purgeAll();

  /** What the cache is doing now in this process: keys in flight, fills, waiting lookups. */
  CacheActivity activity();

  /** What the store says of itself now: its kind, whether it answers, what it holds. */
  dev.edgecache.spi.StoreFigures storeFigures();

  /**
   * The key-value face for application data in {@code namespace}, with values encoded by
   * {@code codec}. Namespaces keep keys apart from each other and from HTTP objects.
   */
  <V> KeyValueCache<V> keyValue(String namespace, Codec<V> codec);

  /**
   * As {@link #keyValue(String, Codec)}, with {@code defaultTtl} for the values set without a
   * TTL ({@link KeyValueCache#set(String, Object)}, a vacancy filled without one).
   */
  <V> KeyValueCache<V> keyValue(String namespace, Codec<V> codec, Duration defaultTtl);

  /** Stops the cache's timer and closes the store if the builder was told to own it. */
  @Override
  void close();
}
