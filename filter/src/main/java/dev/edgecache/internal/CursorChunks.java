package dev.edgecache.internal;

import dev.edgecache.BodyChunks;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;

/** An object's body, or a range of it, as the store's chunks: reads block for the writer. */
final class CursorChunks implements BodyChunks {
  private final BodyCursor cursor;

  /** Reads bytes {@code [start, endExclusive)}; {@code endExclusive} -1 reads to the end. */
  CursorChunks(StoredObject object, long start, long endExclusive) {
    this.cursor = new BodyCursor(object, start, endExclusive);
  }

  @Override
  public ByteBuffer next() throws IOException {
    return cursor.next(true);
  }

  @Override
  public boolean complete() {
    return cursor.complete();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
