package dev.edgecache.store.memory;

import dev.edgecache.spi.support.ReadyCallbacks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A body in memory: bytes appended in fixed-size blocks by one writer, read by any number of
 * readers, also while it is being written. Blocks are never changed once their bytes are
 * published, so readers share them without copying.
 *
 * <p>While the body is written, all fields are guarded by {@code this}, and readers wait on it for
 * more bytes. Once {@link #completed} is set, blocks and size never change again, so readers of
 * a complete body (every hit) take no lock.
 */
final class Body {
  static final int BLOCK_SIZE = 16 * 1024;

  private enum State { WRITING, COMPLETE, FAILED }

  private final List<byte[]> blocks = new ArrayList<>();
  private long size;
  /** Bytes of the blocks held: a full block each, but a trimmed last one. */
  private long footprint;
  private State state = State.WRITING;
  private String failure;
  /** Set, after the last append, when the body is complete; publishes blocks and size. */
  private volatile boolean completed;
  /** Readers to tell when the writer next appends, completes or fails; guarded by {@code this}. */
  private final ReadyCallbacks readable = new ReadyCallbacks();

  /** A complete body of no bytes, for records without a body. */
  static Body empty() {
    Body b = new Body();
    b.complete();
    return b;
  }

  void append(ByteBuffer chunk) {
    ReadyCallbacks.run(appendAndTake(chunk));
  }

  private synchronized List<Runnable> appendAndTake(ByteBuffer chunk) {
    if (state != State.WRITING) {
      throw new IllegalStateException("body is no longer being written");
    }
    ByteBuffer src = chunk.duplicate();
    while (src.hasRemaining()) {
      int inBlock = (int) (size % BLOCK_SIZE);
      if (inBlock == 0) {
        blocks.add(new byte[BLOCK_SIZE]);
        footprint += BLOCK_SIZE;
      }
      byte[] block = blocks.get(blocks.size() - 1);
      int n = Math.min(src.remaining(), BLOCK_SIZE - inBlock);
      src.get(block, inBlock, n);
      size += n;
    }
    notifyAll();
    return readable.take();
  }

  /**
   * Cuts the unused tail off the last block, before the body completes: a small body would
   * otherwise hold a whole block, and thousands of small objects many times their bytes. Readers
   * that hold the longer block still read the same bytes from it.
   *
   * @return the bytes given back
   */
  synchronized long trim() {
    int used = (int) (size % BLOCK_SIZE);
    if (state != State.WRITING || used == 0) {
      return 0;
    }
    int last = blocks.size() - 1;
    blocks.set(last, java.util.Arrays.copyOf(blocks.get(last), used));
    footprint -= BLOCK_SIZE - used;
    return BLOCK_SIZE - used;
  }

  void complete() {
    List<Runnable> told;
    synchronized (this) {
      if (state != State.WRITING) {
        return;
      }
      state = State.COMPLETE;
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
      blocks.clear();
      footprint = 0;
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

  /** Bytes held, including the unused tail of the last block until {@link #trim}. */
  synchronized long footprint() {
    return footprint;
  }

  /**
   * Up to the end of the block that holds {@code position}, not past {@code limit} (-1: no limit),
   * waiting while the writer has not reached it. Null at the end.
   */
  ByteBuffer readAt(long position, long limit) throws IOException {
    if (completed) {
      long end = limit < 0 ? size : Math.min(limit, size);
      return position < end ? slice(position, end) : null;
    }
    return readWhileWriting(position, limit);
  }

  private ByteBuffer slice(long position, long end) {
    int blockIndex = (int) (position / BLOCK_SIZE);
    int offset = (int) (position % BLOCK_SIZE);
    int n = (int) Math.min(BLOCK_SIZE - offset, end - position);
    return ByteBuffer.wrap(blocks.get(blockIndex), offset, n).asReadOnlyBuffer();
  }

  /** The empty buffer that says the writer has not reached a position yet. */
  private static final ByteBuffer NOT_YET = ByteBuffer.allocate(0).asReadOnlyBuffer();

  /** As {@link #readAt}, but an empty buffer instead of waiting for the writer. */
  ByteBuffer readNow(long position, long limit) throws IOException {
    if (completed) {
      return readAt(position, limit);
    }
    synchronized (this) {
      if (behind(position, limit)) {
        return NOT_YET.duplicate();
      }
    }
    return readAt(position, limit);
  }

  /** Runs {@code ready} once {@link #readNow} at {@code position} has more than an empty buffer. */
  void whenReadable(long position, long limit, Runnable ready) {
    synchronized (this) {
      if (behind(position, limit)) {
        readable.add(ready);
        return;
      }
    }
    ready.run();
  }

  /** Whether a reader at {@code position} must wait for the writer. Monitor held. */
  private boolean behind(long position, long limit) {
    return state == State.WRITING && position >= size && (limit < 0 || position < limit);
  }



  private synchronized ByteBuffer readWhileWriting(long position, long limit) throws IOException {
    while (true) {
      if (state == State.FAILED) {
        throw new IOException("the write of this object failed; body incomplete: " + failure);
      }
      long end = limit < 0 ? size : Math.min(limit, size);
      if (position < end) {
        return slice(position, end);
      }
      if (state == State.COMPLETE || (limit >= 0 && position >= limit)) {
        return null;
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
