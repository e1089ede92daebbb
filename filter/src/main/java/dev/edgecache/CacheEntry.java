package dev.edgecache;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The outcome of a lookup: a found object, the ownership of a key, or both (Fastly's
 * {@code entry}).
 *
 * <p>When {@link #state()} holds {@link LookupState#MUST_INSERT_OR_UPDATE} the caller owns the key
 * and must end the transaction with exactly one of {@link #insert}, {@link #insertAndStreamBack},
 * {@link #update} or {@link #cancel()}; {@link #close()} without one of them cancels. Other
 * transaction lookups of the key wait meanwhile (or use a stale object), and are released as soon
 * as the owner starts inserting: their bodies stream the bytes as they are written.
 *
 * <p>An entry is meant for one thread; its body streams are independent of one another. Every
 * method throws {@link CacheStateException} after {@link #close()}.
 */
public interface CacheEntry extends AutoCloseable {
  /** The lookup's outcome flags. */
  Set<LookupState> state();

  /** Whether {@link #state()} holds {@code flag}. */
  default boolean has(LookupState flag) {
    return state().contains(flag);
  }

  /**
   * The whole body of the found object.
   *
   * @throws CacheStateException if no object was found
   */
  default InputStream body() {
    return body(BodyRange.all());
  }

  /**
   * A range of the body of the found object. Reads block while the object is still being
   * written; a write that fails makes them throw an {@link java.io.IOException}, so an incomplete
   * body is never read as complete. When the length is not yet known and the lookup did not ask
   * for {@link LookupOptions#alwaysUseRequestedRange()}, the whole body is returned.
   *
   * @throws CacheStateException if no object was found
   * @throws IllegalArgumentException if the range starts at or past a known length
   */
  InputStream body(BodyRange range);

  /**
   * A range of the body of the found object as the store's chunks (see {@link BodyChunks}), for
   * writing it out without a copy; the range is taken as {@link #body(BodyRange)} takes it.
   *
   * @throws CacheStateException if no object was found
   * @throws IllegalArgumentException if the range starts at or past a known length
   */
  BodyChunks bodyChunks(BodyRange range);

  /**
   * A range of the body of the found object, read without blocking (see {@link BodyFeed}); the
   * range is taken as {@link #body(BodyRange)} takes it.
   *
   * @throws CacheStateException if no object was found
   * @throws IllegalArgumentException if the range starts at or past a known length
   */
  BodyFeed bodyFeed(BodyRange range);

  /** The body length, once known. */
  OptionalLong length();

  /** The found object's max age. */
  Optional<Duration> maxAge();

  /** The found object's stale-while-revalidate window. */
  Optional<Duration> staleWhileRevalidate();

  /** The found object's stale-if-error window. */
  Optional<Duration> staleIfError();

  /** The found object's age when the lookup ran. */
  Optional<Duration> age();

  /**
   * The found object's freshness left when the lookup ran: its freshness lifetime in this cache
   * (its edge max age, cut short by a soft purge) less its age; negative once it is stale. This
   * is the {@code ttl} of RFC 9211 §2.4.
   */
  Optional<Duration> remainingFreshness();

  /** How many hits the found object had, this one included. */
  OptionalLong hits();

  /**
   * The found object's user metadata, if it is at most {@code maxLength} bytes.
   *
   * @return empty if no object was found
   * @throws BufferTooSmallException if the metadata is longer than {@code maxLength}
   * @throws IllegalArgumentException if {@code maxLength} is negative
   */
  Optional<byte[]> userMetadata(int maxLength);

  /**
   * Whether this entry reads another caller's write that was still in progress when the lookup
   * joined it: the lookup was collapsed into that caller's fill. False for an object found whole.
   */
  boolean collapsed();

  /** The found object's surrogate keys; empty if none or no object was found. */
  Set<String> surrogateKeys();

  /**
   * Inserts the object as owner of the key. Waiters are released once this returns, and stream
   * what is written to the sink.
   *
   * @throws CacheStateException if this entry does not own the key, has already inserted,
   *     updated or cancelled, or lost the key to the lock timeout
   * @throws IllegalArgumentException if the options break a limit of the cache (user metadata
   *     length)
   */
  BodySink insert(WriteOptions options);

  /**
   * As {@link #insert}, and also returns an entry that reads back what is being written, so the
   * owner can serve its own client from the cache while it fills it.
   */
  Insertion insertAndStreamBack(WriteOptions options);

  /**
   * Replaces the found object's metadata, keeping its body (a successful revalidation), and ends
   * the transaction. Its age starts again from the options' initial age.
   *
   * @throws CacheStateException if this entry does not own the key, or found no object to update
   */
  void update(WriteOptions options);

  /**
   * Gives the key up without writing: one waiting caller becomes the owner. Does nothing if the
   * entry does not own the key. If an insert is streaming, the write is aborted.
   */
  void cancel();

  /**
   * Gives the key up because the response is not cacheable: every waiting caller is released at
   * once as an owner that does not collapse, and for the cache's not-cacheable period lookups of
   * the key do not queue behind one another (a hit-for-miss marker).
   */
  void cancelNotCacheable();

  /**
   * Gives the key up because the response was made for this request alone (it answered the
   * request's credentials or cookies): every waiting caller is released at once as an owner that
   * does not collapse, and nothing is remembered, since another request for the key may well get
   * a response that can be shared. Does nothing if the entry does not own the key.
   */
  void cancelUnshared();

  /** Cancels the transaction if it is still open, and releases the entry. Idempotent. */
  @Override
  void close();
}
