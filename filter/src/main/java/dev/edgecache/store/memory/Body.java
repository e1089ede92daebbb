package dev.edgecache.store.memory;

import dev.edgecache.spi.support.ReadyCallbacks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A body in memory: bytes appended in blocks by one writer, read by any number of readers, also
 * while it is being written. Blocks are never changed once their bytes are published, so readers
 * share them without copying.
 *
 * <p>A block is as large as the rest of the declared length, up to {@link #MAX_BLOCK}, so that a
 * hit on a body of a known length up to that size is one buffer, written to the client in one
 * write; a body of unknown length grows by blocks that double, from {@link #MIN_BLOCK}. Fewer,
 * larger writes are what bring large hits near the speed of the socket.
 *
 * <p>While the body is written, all fields are guarded by {@code this}, and readers wait on it for
 * more bytes. Once {@link #completed} is set, blocks and size never change again, so readers of
 * a complete body (every hit) take no lock.
 */
final class Body {
  /** The first block of a body of unknown length, and the least a store's capacity must hold. */
  static final int MIN_BLOCK = 16 * 1024;
  /**
   * The largest block. It bounds what one write lends the container (a heap buffer is copied to
   * a native one of its size by the JDK's socket writes, and kept per thread for reuse) and what a
   * body of a false declared length holds before its trim.
   */
  static final int MAX_BLOCK = 256 * 1024;

  private enum State { WRITING, COMPLETE, FAILED }

  private final List<byte[]> blocks = new ArrayList<>();
  /** A read-only buffer over each block, which a read slices: one object per chunk read. */
  private final List<ByteBuffer> views = new ArrayList<>();
  /** Where each block starts in the body: {@code starts[i]} for {@code blocks.get(i)}. */
  private long[] starts = new long[4];
  /** The declared length, or -1: sizes the blocks. */
  private final long declared;
  private long size;
  /** Bytes of the blocks held: a full block each, but a trimmed last one. */
  private long footprint;
  private State state = State.WRITING;
  private String failure;
  /** Set, after the last append, when the body is complete; publishes blocks and size. */
  private volatile boolean completed;
  /** Readers to tell when the writer next appends, completes or fails; guarded by {@code this}. */
  private final ReadyCallbacks readable = new ReadyCallbacks();

  /** A body of {@code declaredLength} bytes, or -1 if unknown. */
  Body(long declaredLength) {
    this.declared = declaredLength;
  }

  /** A complete body of no bytes, for records without a body. */
  static Body empty() {
    Body b = new Body(0);
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
      int last = blocks.size() - 1;
      int inBlock = last < 0 ? 0 : (int) (size - starts[last]);
      if (last < 0 || inBlock == blocks.get(last).length) {
        addBlock(nextBlockSize());
        last++;
        inBlock = 0;
      }
      byte[] block = blocks.get(last);
      int n = Math.min(src.remaining(), block.length - inBlock);
      src.get(block, inBlock, n);
      size += n;
    }
    notifyAll();
    return readable.take();
  }

  /** The rest of the declared length, or double what is written so far, within the bounds. */
  private int nextBlockSize() {
    long want = declared > size ? declared - size : Math.max(size, MIN_BLOCK);
    return (int) Math.min(want, MAX_BLOCK);
  }

  private void addBlock(int blockSize) {
    int i = blocks.size();
    if (i == starts.length) {
      starts = java.util.Arrays.copyOf(starts, 2 * i);
    }
    starts[i] = size;
    byte[] block = new byte[blockSize];
    blocks.add(block);
    views.add(ByteBuffer.wrap(block).asReadOnlyBuffer());
    footprint += blockSize;
  }

  /**
   * Cuts the unused tail off the last block, before the body completes: a small body would
   * otherwise hold a whole block, and thousands of small objects many times their bytes. Readers
   * that hold the longer block still read the same bytes from it.
   *
   * @return the bytes given back
   */
  synchronized long trim() {
    int last = blocks.size() - 1;
    if (state != State.WRITING || last < 0) {
      return 0;
    }
    int used = (int) (size - starts[last]);
    int unused = blocks.get(last).length - used;
    if (unused == 0) {
      return 0;
    }
    byte[] trimmed = java.util.Arrays.copyOf(blocks.get(last), used);
    blocks.set(last, trimmed);
    views.set(last, ByteBuffer.wrap(trimmed).asReadOnlyBuffer());
    footprint -= unused;
    return unused;
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
      views.clear();
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
    int i = blockAt(position);
    int offset = (int) (position - starts[i]);
    int n = (int) Math.min(blocks.get(i).length - offset, end - position);
    return views.get(i).slice(offset, n);
  }

  /** The index of the block that holds {@code position}, which is below {@link #size}. */
  private int blockAt(long position) {
    int low = 0;
    int high = blocks.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (starts[mid] <= position) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
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
