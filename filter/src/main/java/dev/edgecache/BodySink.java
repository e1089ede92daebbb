package dev.edgecache;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of an object being inserted. {@link #close()} commits it (the object becomes visible
 * to lookups); {@link #abort()} discards it, and so does any failed write. Readers that follow
 * the write as it streams see an {@link IOException} when it is aborted.
 *
 * <p>Not thread-safe: one writer. A sink that was aborted, or failed, throws on further writes.
 */
public abstract class BodySink extends OutputStream {
  /** For the cache's own sinks and for stores that make their own. */
  protected BodySink() {}

  /**
   * Commits the object.
   *
   * @throws BodyLengthException if a length was declared and the body is shorter; the write is
   *     aborted instead
   * @throws IOException if the store could not commit; the write is aborted
   */
  @Override
  public abstract void close() throws IOException;

  /** Discards the write. Idempotent; does nothing after a commit. */
  public abstract void abort();

  /** The number of bytes written so far. */
  public abstract long written();

  /**
   * Whether the bytes go to the store. False when the store refused the object as it began (one
   * declared larger than the store keeps, say): the sink then counts the bytes and drops them,
   * and closing it commits nothing.
   */
  public boolean stores() {
    return true;
  }

  /**
   * Whether a committed write is kept for later requests. False for a write the cache shares only
   * with the requests waiting for it while its store is away (each node collapses on its own):
   * its bytes reach them, and nothing is stored. By default {@link #stores()}.
   */
  public boolean keeps() {
    return stores();
  }

  /** Whether the write has ended: committed or aborted. */
  public abstract boolean ended();
}
