package dev.edgecache.store.memory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A body on the heap, in blocks. Blocks are never changed once their bytes are published, so
 * readers share them without copying.
 *
 * <p>A block is as large as the rest of the declared length, up to {@link #MAX_BLOCK}, so that a
 * hit on a body of a known length up to that size is one buffer, written to the client in one
 * write; a body of unknown length grows by blocks that double, from {@link #MIN_BLOCK}. Fewer,
 * larger writes are what bring large hits near the speed of the socket.
 */
final class Body extends GrowingBody {
  /** The first block of a body of unknown length, and the least a store's capacity must hold. */
  static final int MIN_BLOCK = 16 * 1024;
  /**
   * The largest block. It bounds what one write lends the container (a heap buffer is copied to
   * a native one of its size by the JDK's socket writes, and kept per thread for reuse) and what a
   * body of a false declared length holds before its trim.
   */
  static final int MAX_BLOCK = 256 * 1024;

  private final List<byte[]> blocks = new ArrayList<>();
  /** A read-only buffer over each block, which a read slices: one object per chunk read. */
  private final List<ByteBuffer> views = new ArrayList<>();
  /** Where each block starts in the body: {@code starts[i]} for {@code blocks.get(i)}. */
  private long[] starts = new long[4];
  /** The declared length, or -1: sizes the blocks. */
  private final long declared;
  /** Bytes of the blocks held: a full block each, but a trimmed last one. */
  private long footprint;

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

  @Override
  protected void store(ByteBuffer src) {
    long at = size;
    while (src.hasRemaining()) {
      int last = blocks.size() - 1;
      int inBlock = last < 0 ? 0 : (int) (at - starts[last]);
      if (last < 0 || inBlock == blocks.get(last).length) {
        addBlock(at, nextBlockSize(at));
        last++;
        inBlock = 0;
      }
      byte[] block = blocks.get(last);
      int n = Math.min(src.remaining(), block.length - inBlock);
      src.get(block, inBlock, n);
      at += n;
    }
  }

  @Override
  protected long declaredLength() {
    return declared;
  }

  /** The rest of the declared length, or double what is written so far, within the bounds. */
  private int nextBlockSize(long written) {
    long want = declared > written ? declared - written : Math.max(written, MIN_BLOCK);
    return (int) Math.min(want, MAX_BLOCK);
  }

  private void addBlock(long start, int blockSize) {
    int i = blocks.size();
    if (i == starts.length) {
      starts = Arrays.copyOf(starts, 2 * i);
    }
    starts[i] = start;
    byte[] block = new byte[blockSize];
    blocks.add(block);
    views.add(ByteBuffer.wrap(block).asReadOnlyBuffer());
    footprint += blockSize;
  }

  @Override
  protected void writeEnded(boolean failed) {
    if (failed) {
      blocks.clear();
      views.clear();
      footprint = 0;
    }
  }

  /**
   * Cuts the unused tail off the last block, before the body completes: a small body would
   * otherwise hold a whole block, and thousands of small objects many times their bytes. Readers
   * that hold the longer block still read the same bytes from it.
   */
  @Override
  synchronized long trim() {
    int last = blocks.size() - 1;
    if (isComplete() || last < 0) {
      return 0;
    }
    int used = (int) (size - starts[last]);
    int unused = blocks.get(last).length - used;
    if (unused == 0) {
      return 0;
    }
    byte[] trimmed = Arrays.copyOf(blocks.get(last), used);
    blocks.set(last, trimmed);
    views.set(last, ByteBuffer.wrap(trimmed).asReadOnlyBuffer());
    footprint -= unused;
    return unused;
  }

  /** Bytes held, including the unused tail of the last block until {@link #trim}. */
  @Override
  synchronized long footprint() {
    return footprint;
  }

  /** Up to the end of the block that holds {@code position}. */
  @Override
  protected ByteBuffer chunk(long position, long end, BodyReader reader) {
    int i = blockAt(position);
    int offset = (int) (position - starts[i]);
    int n = (int) Math.min(blocks.get(i).length - offset, end - position);
    return views.get(i).slice(offset, n);
  }

  /** The writer adds blocks meanwhile. */
  @Override
  protected boolean chunksUnderLock() {
    return true;
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
}
