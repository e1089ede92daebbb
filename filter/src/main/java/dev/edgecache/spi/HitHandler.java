package dev.edgecache.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads one object's body in chunks (pingora-cache's {@code HandleHit}). Not thread-safe: one
 * reader per handler.
 */
public interface HitHandler extends Closeable {
  /**
   * The next chunk of the body, or null at the end. On an object still being written, blocks until
   * the writer has written more or finished.
   *
   * @return a read-only buffer the caller may consume; null at the end of the body (or of the
   *     range given to {@link #seek})
   * @throws IOException if the write failed or was cancelled (the body is incomplete and must not
   *     be served as complete), if a chunk is missing, or if the handler is closed
   */
  ByteBuffer read() throws IOException;

  /** Whether {@link #seek} is supported. */
  default boolean canSeek() {
    return false;
  }

  /**
   * Restricts the reader to bytes {@code [start, endExclusive)}; {@code endExclusive} of -1 means
   * to the end of the body.
   *
   * @throws UnsupportedOperationException if {@link #canSeek()} is false
   * @throws IOException if the store cannot position the reader
   */
  default void seek(long start, long endExclusive) throws IOException {
    throw new UnsupportedOperationException("this store cannot seek");
  }

  /** Releases the reader; later reads throw. */
  @Override
  void close();
}
