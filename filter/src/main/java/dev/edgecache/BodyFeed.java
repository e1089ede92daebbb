package dev.edgecache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A body, or a range of it, read without ever blocking: for a client written with non-blocking
 * output (a servlet {@code WriteListener}), so that following an object still being written holds
 * no thread while the writer is behind. Not thread-safe: one reader at a time, though
 * {@link #whenReady}'s callback may run on another thread.
 *
 * <p>The loop: {@link #poll} until it returns an empty buffer, then {@link #whenReady} with a
 * callback that polls again; null is the end. A write that fails makes {@code poll} throw, so
 * an incomplete body is never read as complete.
 */
public interface BodyFeed extends AutoCloseable {
  /**
   * The next bytes, without waiting.
   *
   * @return a read-only buffer the caller may consume; an empty one if the writer has not written
   *     the next bytes yet; null at the end of the body or range
   * @throws IOException if the write failed or was cancelled, the body is gone, or the feed is
   *     closed
   */
  ByteBuffer poll() throws IOException;

  /**
   * Runs {@code ready} once, when {@link #poll} has more than an empty buffer to give: bytes, the
   * end or a failure. It may run at once on this thread, or later on another (the writer's):
   * it should only schedule the work of reading.
   */
  void whenReady(Runnable ready);

  /** Releases the store's reader; later polls throw. */
  @Override
  void close();
}
