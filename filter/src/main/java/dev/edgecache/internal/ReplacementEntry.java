package dev.edgecache.internal;

import dev.edgecache.BodyRange;
import dev.edgecache.BodySink;
import dev.edgecache.CacheStateException;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.ReplaceEntry;
import dev.edgecache.WriteOptions;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A {@link ReplaceEntry}: the object being replaced, if any, and the right to write its successor. */
final class ReplacementEntry implements ReplaceEntry {
  private final OwnerMoves cache;
  private final StoredObject object;
  private final Set<LookupState> state;
  private final long ageMillis;
  private final LookupOptions options;
  private final Transaction txn;
  private boolean closed;

  ReplacementEntry(OwnerMoves cache, StoredObject object, long nowMillis,
      LookupOptions options, Transaction txn) {
    this.cache = cache;
    this.object = object;
    this.options = options;
    this.txn = txn;
    if (object == null) {
      this.state = null;
      this.ageMillis = 0;
    } else {
      Freshness f = Freshness.of(object.meta(), nowMillis);
      this.state = Set.copyOf(f.foundState());
      this.ageMillis = f.ageMillis();
    }
  }

  @Override
  public Optional<Set<LookupState>> state() {
    checkOpen();
    return Optional.ofNullable(state);
  }

  @Override
  public Optional<InputStream> body(BodyRange range) {
    checkOpen();
    return object == null ? Optional.empty()
        : Optional.of(Entry.bodyOf(object, range, options.alwaysUseRequestedRange()));
  }

  @Override
  public OptionalLong length() {
    checkOpen();
    return Entry.lengthOf(object);
  }

  @Override
  public Optional<Duration> maxAge() {
    checkOpen();
    return Entry.durationOf(object, ObjectMeta::maxAgeMillis);
  }

  @Override
  public Optional<Duration> staleWhileRevalidate() {
    checkOpen();
    return Entry.durationOf(object, ObjectMeta::staleWhileRevalidateMillis);
  }

  @Override
  public Optional<Duration> age() {
    checkOpen();
    return object == null ? Optional.empty() : Optional.of(Duration.ofMillis(ageMillis));
  }

  @Override
  public OptionalLong hits() {
    checkOpen();
    return object == null ? OptionalLong.empty() : OptionalLong.of(object.hits());
  }

  @Override
  public Optional<byte[]> userMetadata(int maxLength) {
    checkOpen();
    return Entry.userMetadataOf(object, maxLength);
  }

  @Override
  public BodySink replaceInsert(WriteOptions options) {
    checkOpen();
    return cache.beginFill(txn, options);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cache.release(txn);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new CacheStateException("the replace entry is closed");
    }
  }
}
