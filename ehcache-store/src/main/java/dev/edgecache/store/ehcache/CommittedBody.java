package dev.edgecache.store.ehcache;

import dev.edgecache.spi.HitHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;
import org.ehcache.Cache;

/**
 * The body of a committed object of the Ehcache store, read from the chunk cache one chunk at a
 * time; seeks by chunk index. A chunk found missing while reading (evicted, or never asked for on
 * a cluster, where the record stands for its chunks) ends that read with an {@link IOException},
 * never a short body taken for whole, and is reported so that the object is removed.
 */
final class CommittedBody implements HitHandler {
  private final Records.StoredRecord record;
  private final Cache<String, Blob> body;
  private final String objectKey;
  private final IntConsumer chunkMissing;
  private long position;
  private long end;
  private boolean closed;

  /**
   * @param objectKey the record's key, of which each chunk's key is made
   * @param chunkMissing told the index of a chunk that was not there
   */
  CommittedBody(Records.StoredRecord record, Cache<String, Blob> body, String objectKey, IntConsumer chunkMissing) {
    this.record = record;
    this.body = body;
    this.objectKey = objectKey;
    this.chunkMissing = chunkMissing;
    this.end = record.meta().length();
  }

  @Override
  public ByteBuffer read() throws IOException {
    if (closed) {
      throw new IOException("reader is closed");
    }
    if (position >= end) {
      return null;
    }
    int index = (int) (position / EhcacheStorage.CHUNK_SIZE);
    Blob chunk;
    try {
      chunk = body.get(Records.chunkKey(objectKey, record.writeId(), index));
    } catch (RuntimeException storeFailed) {
      throw new IOException("chunk " + index + " of " + objectKey + " could not be read: " + storeFailed.getMessage(),
          storeFailed);
    }
    if (chunk == null) {
      chunkMissing.accept(index);
      throw new IOException("chunk " + index + " of " + objectKey + " is gone; body incomplete");
    }
    ByteBuffer data = Records.chunkData(chunk);
    int offset = (int) (position % EhcacheStorage.CHUNK_SIZE);
    int n = (int) Math.min(data.remaining() - offset, end - position);
    if (n <= 0) {
      throw new IOException("chunk " + index + " of " + objectKey + " is short; body incomplete");
    }
    data.position(offset).limit(offset + n);
    position += n;
    return data.slice();
  }

  @Override
  public boolean canSeek() {
    return true;
  }

  @Override
  public void seek(long start, long endExclusive) {
    position = start;
    long length = record.meta().length();
    end = endExclusive < 0 ? length : Math.min(endExclusive, length);
  }

  @Override
  public void close() {
    closed = true;
  }
}
