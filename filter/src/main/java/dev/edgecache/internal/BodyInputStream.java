package dev.edgecache.internal;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An object's body, or a range of it, as an {@link InputStream}. The store's reader is opened on
 * the first read, so an object that is gone by then fails that read with an {@link IOException}.
 * A store that cannot seek is read from the start and the bytes before the range skipped.
 */
final class BodyInputStream extends InputStream {
  private final StoredObject object;
  private final long start;
  private final long endExclusive;
  private HitHandler handler;
  private ByteBuffer current;
  private long position;
  private boolean manualRange;
  private boolean closed;
  private boolean ended;

  /** Reads bytes {@code [start, endExclusive)}; {@code endExclusive} -1 reads to the end. */
  BodyInputStream(StoredObject object, long start, long endExclusive) {
    this.object = object;
    this.start = start;
    this.endExclusive = endExclusive;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    ByteBuffer chunk = nextChunk();
    if (chunk == null) {
      return -1;
    }
    int n = Math.min(len, chunk.remaining());
    chunk.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  private ByteBuffer nextChunk() throws IOException {
    if (closed) {
      throw new IOException("body stream is closed");
    }
    if (ended) {
      return null;
    }
    if (handler == null) {
      open();
    }
    while (current == null || !current.hasRemaining()) {
      ByteBuffer next = handler.read();
      if (next == null) {
        ended = true;
        return null;
      }
      current = manualRange ? clip(next) : next;
      if (current == null) {
        ended = true;
        return null;
      }
    }
    return current;
  }

  private void open() throws IOException {
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
      return ByteBuffer.allocate(0);
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

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (handler != null) {
        handler.close();
      }
    }
  }
}
