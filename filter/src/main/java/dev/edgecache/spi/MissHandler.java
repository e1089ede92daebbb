package dev.edgecache.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one object's body (pingora-cache's {@code HandleMiss}). Every write ends in exactly one of
 * {@link #finish()} (commit) or {@link #close()} without finish (abort). Not thread-safe: one
 * writer per handler.
 */
public interface MissHandler extends Closeable {
  /**
   * Appends a chunk. The bytes between the buffer's position and limit are copied; the buffer is
   * left as it was.
   *
   * @throws ObjectTooLargeException if the body would exceed the store's maximum object size; the
   *     write is then aborted
   * @throws IOException if the store failed; the write is then aborted
   */
  void write(ByteBuffer chunk) throws IOException;

  /**
   * Commits the object: from now on {@link CacheStorage#lookup} finds it, with the length set to
   * the number of bytes written. Readers of the streaming write see the end of the body.
   *
   * @return the committed length
   * @throws IOException if the store could not commit; the write is then aborted
   */
  long finish() throws IOException;

  /**
   * The tag that {@link CacheStorage#lookupStreamingWrite} matches to this write, so that readers
   * never get a body from another write for the same key.
   */
  byte[] writeTag();

  /** The number of bytes written so far. */
  long written();

  /**
   * Aborts the write if it has not finished: readers of the streaming write get an
   * {@link IOException}, and nothing is committed. Idempotent.
   */
  @Override
  void close();
}
