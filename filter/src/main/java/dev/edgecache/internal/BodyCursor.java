package dev.edgecache.internal;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A position in an object's body, or a range of it: the store's reader, opened on the first
 * read (an object gone by then fails that read), positioned by seeking, or for a store that
 * cannot seek by reading from the start and dropping the bytes outside the range.
 */
final class BodyCursor {
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private final StoredObject object;
  private final long start;
  private final long endExclusive;
  private HitHandler handler;
  private long position;
  private boolean manualRange;
  private boolean closed;
  private boolean ended;
  /** Bytes returned so far. */
  private long delivered;
  /**
   * How many bytes end the object, when this cursor reads to the end of a write still in
   * progress whose length is declared; -1 otherwise (nothing is held back).
   */
  private long holdAt = -1;
  /** The chunk with the object's last byte, held until the write commits. */
  private ByteBuffer heldLast;

  /** Reads bytes {@code [start, endExclusive)}; {@code endExclusive} -1 reads to the end. */
  BodyCursor(StoredObject object, long start, long endExclusive) {
    this.object = object;
    this.start = start;
    this.endExclusive = endExclusive;
  }

  /**
   * The next bytes, null at the end. With {@code wait} false, an empty buffer when the writer has
   * not written them yet; with it true, blocks until it has.
   */
  ByteBuffer next(boolean wait) throws IOException {
    if (closed) {
      throw new IOException("body stream is closed");
    }
    if (ended) {
      return null;
    }
    if (handler == null) {
      open();
    }
    while (true) {
      ByteBuffer next = wait ? handler.read() : handler.readNow();
      if (next == null) {
        ended = true;
        ByteBuffer last = heldLast;
        heldLast = null;
        if (last == null && delivered == 0 && start > 0) {
          // a range asked for before the length was known, which the final length leaves empty:
          // a read error, as Fastly's always-use-requested-range says, not an empty body
          throw new IOException("the range starts at byte " + start + ", past the end of the body");
        }
        return last;
      }
      if (!next.hasRemaining()) {
        if (!wait) {
          return NOTHING;
        }
        continue;
      }
      if (heldLast != null) {
        throw new IOException("the body is longer than its declared length");
      }
      ByteBuffer chunk = manualRange ? clip(next) : next;
      if (chunk == null) {
        ended = true;
        return null;
      }
      if (chunk.hasRemaining()) {
        delivered += chunk.remaining();
        if (delivered == holdAt) {
          // The last bytes of a write still in progress wait until it commits: a client that has
          // the whole body may ask again at once, and must then find the object stored.
          heldLast = chunk;
          continue;
        }
        return chunk;
      }
    }
  }

  /** The store's reader, opened if need be. */
  HitHandler handler() throws IOException {
    if (handler == null) {
      open();
    }
    return handler;
  }

  /** Whether the object's write has finished: no read waits for its writer. */
  boolean complete() {
    return object.complete();
  }

  /** Whether the store's reader follows a write in progress without blocking a thread. */
  boolean followsWithoutWaiting() throws IOException {
    return complete() || handler().followsWithoutWaiting();
  }

  private void open() throws IOException {
    long length = object.meta().length();
    if (!object.complete() && length >= 0 && (endExclusive < 0 || endExclusive >= length)) {
      holdAt = length - start;
    }
    handler = object.openBody();
    if (start == 0 && endExclusive < 0) {
      return;
    }
    if (handler.canSeek()) {
      handler.seek(start, endExclusive);
    } else {
      manualRange = true;
    }
  }

  /** For stores that cannot seek: drops bytes before the range and stops at its end. */
  private ByteBuffer clip(ByteBuffer chunk) {
    long chunkStart = position;
    position += chunk.remaining();
    if (endExclusive >= 0 && chunkStart >= endExclusive) {
      return null;
    }
    if (position <= start) {
      return NOTHING;
    }
    ByteBuffer view = chunk.duplicate();
    if (chunkStart < start) {
      view.position(view.position() + (int) (start - chunkStart));
    }
    if (endExclusive >= 0 && position > endExclusive) {
      view.limit(view.limit() - (int) (position - endExclusive));
    }
    return view;
  }

  void close() {
    if (!closed) {
      closed = true;
      if (handler != null) {
        handler.finish(ended); // whether the body was read to its end (pingora's finish)
      }
    }
  }
}
