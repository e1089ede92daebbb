package dev.edgecache.internal;

import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** An object's body, or a range of it, as an {@link InputStream}: reads block for the writer. */
final class BodyInputStream extends InputStream {
  private final BodyCursor cursor;
  private ByteBuffer current;

  /** Reads bytes {@code [start, endExclusive)}; {@code endExclusive} -1 reads to the end. */
  BodyInputStream(StoredObject object, long start, long endExclusive) {
    this.cursor = new BodyCursor(object, start, endExclusive);
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
    if (current == null || !current.hasRemaining()) {
      current = cursor.next(true);
      if (current == null) {
        return -1;
      }
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
