package dev.edgecache.store.memory;

import dev.edgecache.spi.support.ReadyCallbacks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A body appended by one writer and read by any number of readers, also while it is being
 * written: the writer's progress, its end or failure, and the readers' waiting. Where the bytes
 * live is the subclass's: the heap ({@link Body}) or a file ({@link FileBody}).
 *
 * <p>While the body is written, the state is guarded by {@code this}, and readers wait on it for
 * more bytes. Once {@link #completed} is set, the size never changes again, so readers of a
 * complete body (every hit) take no lock.
 */
abstract class GrowingBody {
  private enum State { WRITING, COMPLETE, FAILED }

  /** The empty buffer that says the writer has not reached a position yet. */
  static final ByteBuffer NOT_YET = ByteBuffer.allocate(0).asReadOnlyBuffer();

  /** Bytes written; guarded by {@code this} until {@link #completed}. */
  protected long size;
  private State state = State.WRITING;
  private String failure;
  /** Set, after the last append, when the body is complete; publishes the bytes and size. */
  private volatile boolean completed;
  /** Readers to tell when the writer next appends, completes or fails; guarded by {@code this}. */
  private final ReadyCallbacks readable = new ReadyCallbacks();

  /** Stores {@code src}'s bytes at offset {@link #size}, all of them. Monitor held. */
  protected abstract void store(ByteBuffer src) throws IOException;

  /** The write ended, complete or failed: what the writer held may go. Monitor held. */
  protected void writeEnded(boolean failed) {}

  /**
   * Bytes {@code [position, end)}, or the first of them, for {@code reader}; {@code end} is past
   * {@code position} and within what is written. Called with the monitor held while the body is
   * written when {@link #chunksUnderLock}.
   */
  protected abstract ByteBuffer chunk(long position, long end, BodyReader reader) throws IOException;

  /**
   * The length the writer declared, or -1. Its last byte is given to readers only once the body is
   * complete (committed first by the store): a client that has every byte of a declared length
   * then finds the object whole when it asks again at once, whichever thread wrote its bytes.
   */
  protected long declaredLength() {
    return -1;
  }

  /** Whether {@link #chunk} needs the monitor while the writer may still add to the body. */
  protected abstract boolean chunksUnderLock();

  /**
   * The next bytes for {@code reader} at {@code position}, up to {@code limit} (-1: no limit),
   * waiting for the writer if need be; null at the end.
   */
  final ByteBuffer readAt(long position, long limit, BodyReader reader) throws IOException {
    return read(position, limit, true, reader);
  }

  /** As {@link #readAt}, but {@link #NOT_YET} (a duplicate) instead of waiting for the writer. */
  final ByteBuffer readNow(long position, long limit, BodyReader reader) throws IOException {
    return read(position, limit, false, reader);
  }

  private ByteBuffer read(long position, long limit, boolean wait, BodyReader reader) throws IOException {
    if (completed || !chunksUnderLock()) {
      return cut(position, available(position, limit, wait), reader);
    }
    synchronized (this) {
      return cut(position, available(position, limit, wait), reader);
    }
  }

  private ByteBuffer cut(long position, long end, BodyReader reader) throws IOException {
    return end < 0 ? null : end == position ? NOT_YET.duplicate() : chunk(position, end, reader);
  }

  /** Heap bytes held for the body. */
  abstract long footprint();

  /** Disk bytes held for the body. */
  long diskBytes() {
    return 0;
  }

  /** Gives back what the body holds beyond its bytes, before it completes; the bytes given back. */
  long trim() {
    return 0;
  }

  /** The record is gone from the store: what the body holds outside the heap may go. */
  void release() {}

  void append(ByteBuffer chunk) throws IOException {
    ReadyCallbacks.run(appendAndTake(chunk));
  }

  private synchronized List<Runnable> appendAndTake(ByteBuffer chunk) throws IOException {
    if (state != State.WRITING) {
      throw new IllegalStateException("body is no longer being written");
    }
    int n = chunk.remaining();
    store(chunk.duplicate());
    size += n;
    notifyAll();
    return readable.take();
  }

  void complete() {
    List<Runnable> told;
    synchronized (this) {
      if (state != State.WRITING) {
        return;
      }
      state = State.COMPLETE;
      writeEnded(false);
      completed = true;
      notifyAll();
      told = readable.take();
    }
    ReadyCallbacks.run(told);
  }

  void fail(String why) {
    List<Runnable> told;
    synchronized (this) {
      if (state != State.WRITING) {
        return;
      }
      state = State.FAILED;
      failure = why;
      writeEnded(true);
      notifyAll();
      told = readable.take();
    }
    ReadyCallbacks.run(told);
  }

  long size() {
    if (completed) {
      return size;
    }
    synchronized (this) {
      return size;
    }
  }

  boolean isComplete() {
    return completed;
  }

  /**
   * Where the bytes a reader at {@code position} may read now end ({@code limit} -1: no limit):
   * past {@code position}; -1 at the end of the body or range; {@code position} itself, with
   * {@code wait} false, while the writer has not reached it.
   *
   * @throws IOException if the write failed
   */
  final long available(long position, long limit, boolean wait) throws IOException {
    if (completed) {
      long end = limit < 0 ? size : Math.min(limit, size);
      return position < end ? end : -1;
    }
    synchronized (this) {
      while (true) {
        if (state == State.FAILED) {
          throw new IOException("the write of this object failed; body incomplete: " + failure);
        }
        long visible = visibleSize();
        long end = limit < 0 ? visible : Math.min(limit, visible);
        if (position < end) {
          return end;
        }
        if (state == State.COMPLETE || (limit >= 0 && position >= limit)) {
          return -1;
        }
        if (!wait) {
          return position;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for the writer");
        }
      }
    }
  }

  /** The bytes readers may have while the body is written: all but a declared length's last. Monitor held. */
  private long visibleSize() {
    return state == State.WRITING && size > 0 && size == declaredLength() ? size - 1 : size;
  }

  /** Runs {@code ready} once a read at {@code position} would have more than {@link #NOT_YET}. */
  void whenReadable(long position, long limit, Runnable ready) {
    synchronized (this) {
      if (state == State.WRITING && position >= visibleSize() && (limit < 0 || position < limit)) {
        readable.add(ready);
        return;
      }
    }
    ready.run();
  }
}
