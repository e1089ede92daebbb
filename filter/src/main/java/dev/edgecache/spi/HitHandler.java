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

  /**
   * Whether {@link #readNow} and {@link #whenReadable} follow a write in progress without
   * waiting. If false, the cache reads an unfinished object with {@link #read} on a thread of
   * its own, so that a client written with non-blocking output holds no request thread.
   */
  default boolean followsWithoutWaiting() {
    return false;
  }

  /**
   * The next chunk if it can be had without waiting for the writer; otherwise as {@link #read}.
   *
   * @return a read-only buffer; an empty one if the writer has not written the next bytes yet;
   *     null at the end
   * @throws IOException as {@link #read}
   */
  default ByteBuffer readNow() throws IOException {
    return read();
  }

  /**
   * Runs {@code ready} once, when {@link #readNow} would return something other than an empty
   * buffer: more bytes, the end, or a failure. It may run at once on the calling thread, or later
   * on the writer's; it must be short and must not block.
   */
  default void whenReadable(Runnable ready) {
    ready.run();
  }

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

  /**
   * Ends the hit, telling the store whether the body was read to its end (pingora's
   * {@code HandleHit::finish}): a store that counts reads or warms its tiers may count only those
   * that completed. Then releases the reader, as {@link #close} does; the cache calls one or the
   * other, once. By default {@link #close}.
   */
  default void finish(boolean completed) {
    close();
  }

  /** Releases the reader; later reads throw. */
  @Override
  void close();
}
