package dev.edgecache.store.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A body in a file of its own, for objects too large to keep on the heap: the writer appends to
 * the file, and each reader reads it with a channel of its own, in chunks of
 * {@link #READ_SIZE}, also while it is being written. The file is deleted when the record goes;
 * a reader that opened it before then still reads it whole (a file's bytes stay until its last
 * reader closes it), and one that comes after fails cleanly, as a missing chunk does.
 */
final class FileBody extends GrowingBody {
  private static final Logger LOG = Logger.getLogger(FileBody.class.getName());
  /** Bytes per chunk read: large writes to the client, a bounded buffer per reader. */
  static final int READ_SIZE = 256 * 1024;

  private final Path file;
  /** The writer's channel, until the write ends; guarded by {@code this}. */
  private FileChannel out;

  /** A body in the new file {@code file}. */
  FileBody(Path file) throws IOException {
    this.file = file;
    this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  Path file() {
    return file;
  }

  @Override
  protected void store(ByteBuffer src) throws IOException {
    long at = size;
    while (src.hasRemaining()) {
      at += out.write(src, at);
    }
  }

  @Override
  protected void writeEnded(boolean failed) {
    closeWriter();
    if (failed) {
      delete();
    }
  }

  @Override
  long footprint() {
    return 0;
  }

  @Override
  long diskBytes() {
    return size();
  }

  @Override
  void release() {
    synchronized (this) {
      closeWriter();
    }
    delete();
  }

  /** At most {@link #READ_SIZE}, read with the reader's own channel. */
  @Override
  protected ByteBuffer chunk(long position, long end, BodyReader reader) throws IOException {
    FileChannel in = reader.channel(file);
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(READ_SIZE, end - position));
    while (b.hasRemaining()) {
      if (in.read(b, position + b.position()) < 0) {
        throw new IOException("the body file " + file + " ends before byte " + (position + b.position()));
      }
    }
    return b.flip().asReadOnlyBuffer();
  }

  /** The bytes below the size are in the file: a read holds up no writer. */
  @Override
  protected boolean chunksUnderLock() {
    return false;
  }

  private void closeWriter() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing a body file", e);
      }
      out = null;
    }
  }

  private void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete the body file " + file + ": " + e);
    }
  }
}
