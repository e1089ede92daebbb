package dev.edgecache.store.memory;

import dev.edgecache.spi.HitHandler;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads a {@link Body} from a position, following its writer. One reader, one thread. */
final class BodyReader implements HitHandler {
  private final Body body;
  private long position;
  private long limit = -1;
  private boolean closed;

  BodyReader(Body body) {
    this.body = body;
  }

  @Override
  public ByteBuffer read() throws IOException {
    if (closed) {
      throw new IOException("reader is closed");
    }
    ByteBuffer chunk = body.readAt(position, limit);
    if (chunk != null) {
      position += chunk.remaining();
    }
    return chunk;
  }

  @Override
  public boolean followsWithoutWaiting() {
    return true;
  }

  @Override
  public ByteBuffer readNow() throws IOException {
    if (closed) {
      throw new IOException("reader is closed");
    }
    ByteBuffer chunk = body.readNow(position, limit);
    if (chunk != null) {
      position += chunk.remaining();
    }
    return chunk;
  }

  @Override
  public void whenReadable(Runnable ready) {
    body.whenReadable(position, limit, ready);
  }

  @Override
  public boolean canSeek() {
    return true;
  }

  @Override
  public void seek(long start, long endExclusive) {
    if (start < 0 || (endExclusive >= 0 && endExclusive < start)) {
      throw new IllegalArgumentException("bad range [" + start + ", " + endExclusive + ")");
    }
    position = start;
    limit = endExclusive;
  }

  @Override
  public void close() {
    closed = true;
  }
}
