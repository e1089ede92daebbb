package dev.edgecache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A body, or a range of it, as the store's own chunks: for writing a body to a client without
 * copying it into an array first. Reads block while the object is still being written, as
 * {@link CacheEntry#body(BodyRange)}'s do. Not thread-safe: one reader.
 */
public interface BodyChunks extends AutoCloseable {
  /**
   * The next chunk, waiting for the writer if need be.
   *
   * @return a read-only buffer the caller may consume, never empty; null at the end of the body
   *     or range
   * @throws IOException if the write failed or was cancelled (the body is incomplete and must not
   *     be served as complete), the body is gone, or the reader is closed
   */
  ByteBuffer next() throws IOException;

  /**
   * Whether the object's write has finished, so that no {@link #next} waits. A reader following a
   * write in progress flushes what it has written before it asks for more.
   */
  boolean complete();

  /** Releases the store's reader; later reads throw. */
  @Override
  void close();
}
