package dev.edgecache.internal;

import dev.edgecache.BodyChunks;
import dev.edgecache.BodyFeed;
import dev.edgecache.BodyRange;
import dev.edgecache.BodySink;
import dev.edgecache.BufferTooSmallException;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheStateException;
import dev.edgecache.Insertion;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * A {@link CacheEntry}: a found object (complete, or a write in progress), the ownership of its
 * key, or both. Meant for one thread.
 */
final class Entry implements CacheEntry {
  private final OwnerMoves cache;
  private final Set<LookupState> state;
  private final StoredObject object;
  private final long ageMillis;
  private final long hits;
  private final LookupOptions options;
  private final Transaction txn;
  private final boolean collapsed;
  private boolean closed;

  /**
   * @param state the flags, unmodifiable
   * @param object the found object, or null
   * @param hits the hit count to report, or -1 to report the object's count as it stands
   */
  Entry(OwnerMoves cache, Set<LookupState> state, StoredObject object, long ageMillis,
      long hits, LookupOptions options, Transaction txn) {
    this(cache, state, object, ageMillis, hits, options, txn, false);
  }

  /** @param collapsed whether the entry reads another caller's write still in progress */
  Entry(OwnerMoves cache, Set<LookupState> state, StoredObject object, long ageMillis,
      long hits, LookupOptions options, Transaction txn, boolean collapsed) {
    this.collapsed = collapsed;
    this.cache = cache;
    this.state = state;
    this.object = object;
    this.ageMillis = ageMillis;
    this.hits = hits;
    this.options = options;
    this.txn = txn;
  }

  @Override
  public Set<LookupState> state() {
    checkOpen();
    return state;
  }

  @Override
  public boolean collapsed() {
    return collapsed;
  }

  @Override
  public InputStream body(BodyRange range) {
    return bodyOf(found(), range, options.alwaysUseRequestedRange());
  }

  @Override
  public BodyChunks bodyChunks(BodyRange range) {
    long[] span = span(found(), range, options.alwaysUseRequestedRange());
    return new CursorChunks(object, span[0], span[1]);
  }

  @Override
  public BodyFeed bodyFeed(BodyRange range) {
    long[] span = span(found(), range, options.alwaysUseRequestedRange());
    return new NonBlockingFeed(object, span[0], span[1], cache.blockingWork());
  }

  /** The found object, whose body is asked for. */
  private StoredObject found() {
    checkOpen();
    if (object == null) {
      throw new CacheStateException("no object was found: this entry has no body");
    }
    return object;
  }

  /** The body stream of {@code object} for {@code range}; shared with {@link ReplacementEntry}. */
  static InputStream bodyOf(StoredObject object, BodyRange range, boolean alwaysUseRange) {
    long[] span = span(object, range, alwaysUseRange);
    return new BodyInputStream(object, span[0], span[1]);
  }

  /**
   * The bytes {@code [start, endExclusive)} that {@code range} reads of {@code object}
   * ({@code endExclusive} -1: to the end): the whole body when its length is not known yet, unless
   * the lookup asked for the requested range always.
   */
  private static long[] span(StoredObject object, BodyRange range, boolean alwaysUseRange) {
    long length = object.meta().length();
    if (range.isAll() || (length < 0 && !alwaysUseRange)) {
      return new long[] {0, -1};
    }
    long from = range.from().orElse(0);
    if (length >= 0 && from >= length && !(length == 0 && from == 0)) {
      throw new IllegalArgumentException(
          "range starts at byte " + from + ", past the end of a " + length + "-byte body");
    }
    long end = range.to().isPresent() ? range.to().getAsLong() + 1 : -1;
    if (length >= 0) {
      end = end < 0 ? length : Math.min(end, length);
    }
    return new long[] {from, end};
  }

  @Override
  public OptionalLong length() {
    checkOpen();
    return lengthOf(object);
  }

  @Override
  public Optional<Duration> maxAge() {
    checkOpen();
    return durationOf(object, ObjectMeta::maxAgeMillis);
  }

  @Override
  public Optional<Duration> staleWhileRevalidate() {
    checkOpen();
    return durationOf(object, ObjectMeta::staleWhileRevalidateMillis);
  }

  @Override
  public Optional<Duration> staleIfError() {
    checkOpen();
    return durationOf(object, ObjectMeta::staleIfErrorMillis);
  }

  @Override
  public Optional<Duration> age() {
    checkOpen();
    return object == null ? Optional.empty() : Optional.of(Duration.ofMillis(ageMillis));
  }

  @Override
  public Optional<Duration> remainingFreshness() {
    checkOpen();
    if (object == null) {
      return Optional.empty();
    }
    ObjectMeta m = object.meta();
    long lifetime = ObjectMeta.saturatedAdd(m.freshUntilMillis(),
        -ObjectMeta.saturatedAdd(m.createdAtMillis(), -m.initialAgeMillis()));
    return Optional.of(Duration.ofMillis(ObjectMeta.saturatedAdd(lifetime, -ageMillis)));
  }

  /** The length of {@code object}, once known; shared with {@link ReplacementEntry}. */
  static OptionalLong lengthOf(StoredObject object) {
    return object == null || object.meta().length() < 0
        ? OptionalLong.empty() : OptionalLong.of(object.meta().length());
  }

  /** A duration from {@code object}'s metadata; shared with {@link ReplacementEntry}. */
  static Optional<Duration> durationOf(StoredObject object, ToLongFunction<ObjectMeta> millis) {
    return object == null ? Optional.empty() : Optional.of(Duration.ofMillis(millis.applyAsLong(object.meta())));
  }

  @Override
  public OptionalLong hits() {
    checkOpen();
    if (object == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(hits >= 0 ? hits : object.hits());
  }

  @Override
  public Optional<byte[]> userMetadata(int maxLength) {
    checkOpen();
    return userMetadataOf(object, maxLength);
  }

  static Optional<byte[]> userMetadataOf(StoredObject object, int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
    }
    if (object == null) {
      return Optional.empty();
    }
    ObjectMeta meta = object.meta();
    if (meta.userMetadataLength() > maxLength) {
      throw new BufferTooSmallException(meta.userMetadataLength(), maxLength);
    }
    return Optional.of(meta.userMetadata());
  }

  @Override
  public Set<String> surrogateKeys() {
    checkOpen();
    return object == null ? Set.of() : object.meta().surrogateKeys();
  }

  @Override
  public BodySink insert(WriteOptions options) {
    checkOpen();
    return cache.beginFill(owner(), options);
  }

  @Override
  public Insertion insertAndStreamBack(WriteOptions options) {
    checkOpen();
    Fill fill = cache.beginFill(owner(), options);
    return new Insertion(fill, cache.readBack(fill, this.options));
  }

  @Override
  public void update(WriteOptions options) {
    checkOpen();
    cache.update(owner(), options);
  }

  @Override
  public void cancel() {
    checkOpen();
    if (txn != null) {
      cache.cancel(txn, OwnerMoves.Cancel.HAND_OVER);
    }
  }

  @Override
  public void cancelNotCacheable() {
    checkOpen();
    if (txn != null) {
      cache.cancel(txn, OwnerMoves.Cancel.NOT_CACHEABLE);
    }
  }

  @Override
  public void cancelUnshared() {
    checkOpen();
    if (txn != null) {
      cache.cancel(txn, OwnerMoves.Cancel.UNSHARED);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (txn != null) {
      cache.release(txn);
    }
  }

  private Transaction owner() {
    if (txn == null) {
      throw new CacheStateException(
          "this entry does not own its key: only an entry whose state has MUST_INSERT_OR_UPDATE may insert or update");
    }
    return txn;
  }

  private void checkOpen() {
    if (closed) {
      throw new CacheStateException("the entry is closed");
    }
  }

  @Override
  public String toString() {
    return "CacheEntry" + state + (object == null ? "" : " length=" + object.meta().length());
  }
}
