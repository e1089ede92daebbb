package dev.edgecache;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A pending replacement of a key's object (Fastly's {@code replace-entry}). Its getters describe
 * the object being replaced, if there is one. Write the replacement with {@link #replaceInsert};
 * closing without it abandons the replacement.
 */
public interface ReplaceEntry extends AutoCloseable {
  /** The lookup state of the object being replaced; empty if there is none. */
  Optional<Set<LookupState>> state();

  /** The body of the object being replaced; empty if there is none. */
  Optional<InputStream> body(BodyRange range);

  /** The length of the object being replaced; empty if there is none. */
  OptionalLong length();

  /** The max age of the object being replaced; empty if there is none. */
  Optional<Duration> maxAge();

  /** The stale-while-revalidate window of the object being replaced; empty if there is none. */
  Optional<Duration> staleWhileRevalidate();

  /** The age of the object being replaced when the replacement began; empty if there is none. */
  Optional<Duration> age();

  /** The hit count of the object being replaced; empty if there is none. */
  OptionalLong hits();

  /** @throws BufferTooSmallException if the metadata is longer than {@code maxLength} */
  Optional<byte[]> userMetadata(int maxLength);

  /**
   * Writes the replacement. Once.
   *
   * @throws CacheStateException if a replacement was already written or the entry is closed
   */
  BodySink replaceInsert(WriteOptions options);

  /** Releases the entry; a replacement not started is abandoned. Idempotent. */
  @Override
  void close();
}
