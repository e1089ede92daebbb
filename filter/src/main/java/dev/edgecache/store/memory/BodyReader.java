package dev.edgecache.store.memory;

import dev.edgecache.spi.HitHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads a body from a position, following its writer. One reader, one thread. */
final class BodyReader implements HitHandler {
  private final GrowingBody body;
  private long position;
  private long limit = -1;
  private boolean closed;
  /** The reader's own channel of a body in a file, opened on its first read. */
  private FileChannel channel;

  BodyReader(GrowingBody body) {
    this.body = body;
  }

  /** This reader's channel of {@code file}. */
  FileChannel channel(Path file) throws IOException {
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    return channel;
  }

  @Override
  public ByteBuffer read() throws IOException {
    if (closed) {
      throw new IOException("reader is closed");
    }
    ByteBuffer chunk = body.readAt(position, limit, this);
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
    ByteBuffer chunk = body.readNow(position, limit, this);
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
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing was written through it
      }
      channel = null;
    }
  }
}
