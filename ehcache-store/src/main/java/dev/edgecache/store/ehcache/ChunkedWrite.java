package dev.edgecache.store.ehcache;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import dev.edgecache.spi.support.ReadyCallbacks;
import dev.edgecache.spi.support.StoredView;
import dev.edgecache.spi.support.WriteTags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.ehcache.Cache;

/**
 * A write in progress: full chunks go to the cache as they fill; the chunk being filled stays
 * here, where readers in this JVM read it too. Fields are guarded by {@code this}; readers wait
 * on it.
 */
final class ChunkedWrite implements MissHandler {
  final long id;
  final StorageKey key;
  final String objectKey;
  final byte[] tag;
  final Cache<String, Blob> body;
  private ObjectMeta meta;
  private final Map<String, Long> tagStamps;
  private final StoreCaches caches;
  private final long maxObjectSize;
  private final Runnable ended;
  private final byte[] current = new byte[EhcacheStorage.CHUNK_SIZE];
  private int filled;
  private int flushed;
  /**
   * The chunk flushed last, kept for the followers in this JVM, who are usually right behind the
   * writer: a full store may evict a chunk as soon as it is put (Ehcache evicts by key, chunk by
   * chunk), and the fill's own client must still get every byte the origin sent. One chunk per
   * write in progress; a follower further behind reads the store.
   */
  private Blob lastFlushed;
  private long written;
  private boolean done;
  private boolean failed;
  /** Non-blocking readers to tell when the write moves on; guarded by {@code this}. */
  private final ReadyCallbacks readable = new ReadyCallbacks();

  /**
   * @param tagStamps the stamps of the object's surrogate keys, for its record
   * @param ended told once, when the write commits or is aborted
   */
  ChunkedWrite(long id, StorageKey key, ObjectMeta meta, Map<String, Long> tagStamps, StoreCaches caches,
      long maxObjectSize, Runnable ended) throws IOException {
    this.tagStamps = tagStamps;
    this.caches = caches;
    this.maxObjectSize = maxObjectSize;
    this.ended = ended;
    this.id = id;
    this.key = key;
    this.objectKey = Records.objectKey(key);
    this.meta = meta;
    this.tag = WriteTags.of(id);
    this.body = meta.sensitive() ? caches.volatileChunks() : caches.chunks();
    if (!meta.sensitive()) {
      publishProgress(0); // a sensitive write is never followed from another node
    }
  }

  @Override
  public void write(ByteBuffer chunk) throws IOException {
    ByteBuffer src = chunk.duplicate();
    synchronized (this) {
      if (done || failed) {
        throw new IOException("write is already finished or aborted");
      }
      if (written + src.remaining() > maxObjectSize) {
        abort("too large");
        throw new ObjectTooLargeException(maxObjectSize);
      }
    }
    while (src.hasRemaining()) {
      Blob full = null;
      int chunkIndex;
      List<Runnable> told;
      synchronized (this) {
        int n = Math.min(src.remaining(), EhcacheStorage.CHUNK_SIZE - filled);
        src.get(current, filled, n);
        filled += n;
        written += n;
        chunkIndex = flushed;
        if (filled == EhcacheStorage.CHUNK_SIZE) {
          full = Records.chunk(meta.expiresAtMillis(), current, filled);
        }
        notifyAll();
        told = readable.take();
      }
      ReadyCallbacks.run(told);
      if (full != null) {
        try {
          body.put(Records.chunkKey(objectKey, id, chunkIndex), full);
        } catch (RuntimeException e) {
          abort("store failed");
          throw new IOException("the store failed to keep a chunk: " + e.getMessage(), e);
        }
        int nowFlushed;
        synchronized (this) {
          lastFlushed = full;
          flushed++;
          filled = 0;
          nowFlushed = flushed;
          notifyAll();
          told = readable.take();
        }
        ReadyCallbacks.run(told);
        publishProgress(nowFlushed);
      }
    }
  }

  /** Lets readers on other nodes know how many chunks they can read. */
  private void publishProgress(int chunkCount) throws IOException {
    try {
      caches.locks().put(RemoteWrites.progressKey(id), Records.encodeObject(meta, id, chunkCount));
    } catch (RuntimeException e) {
      abort("store failed");
      throw new IOException("the store failed to record progress: " + e.getMessage(), e);
    }
  }

  @Override
  public long finish() throws IOException {
    Blob last;
    int lastIndex;
    synchronized (this) {
      if (done || failed) {
        throw new IOException("write is already finished or aborted");
      }
      meta = meta.withLength(written);
      last = filled > 0 ? Records.chunk(meta.expiresAtMillis(), current, filled) : null;
      lastIndex = flushed;
    }
    try {
      if (last != null) {
        body.put(Records.chunkKey(objectKey, id, lastIndex), last);
      }
      int count = lastIndex + (last != null ? 1 : 0);
      Blob record = Records.encodeObject(meta, id, count, tagStamps);
      Cache<String, Blob> records = meta.sensitive() ? caches.volatileObjects() : caches.objects();
      Blob previous = records.get(objectKey);
      records.put(objectKey, record);
      (meta.sensitive() ? caches.objects() : caches.volatileObjects()).remove(objectKey);
      caches.index().add("v." + Records.primaryKey(key.primary()), objectKey);
      if (previous != null) {
        dropChunksOf(previous, body);
      }
      List<Runnable> told;
      synchronized (this) {
        if (last != null) {
          lastFlushed = last;
          flushed++;
          filled = 0;
        }
        done = true;
        notifyAll();
        told = readable.take();
      }
      ReadyCallbacks.run(told);
      caches.locks().remove(RemoteWrites.progressKey(id));
      return written;
    } catch (RuntimeException e) {
      abort("store failed");
      throw new IOException("the store failed to commit: " + e.getMessage(), e);
    } finally {
      ended.run();
    }
  }

  private void dropChunksOf(Blob previous, Cache<String, Blob> c) {
    try {
      Records.StoredRecord old = Records.decodeObject(previous);
      if (old.writeId() != id) {
        for (int i = 0; i < old.chunks(); i++) {
          c.remove(Records.chunkKey(objectKey, old.writeId(), i));
        }
      }
    } catch (IllegalArgumentException ignored) {
      // nothing to clean for a damaged record
    }
  }


  /** Runs {@code ready} when a reader at {@code chunk}/{@code offset} has more than nothing to read. */
  void whenReadable(int chunk, int offset, Runnable ready) {
    synchronized (this) {
      if (!failed && !done && chunk >= flushed && !(chunk == flushed && offset < filled)) {
        readable.add(ready);
        return;
      }
    }
    ready.run();
  }

  @Override
  public byte[] writeTag() {
    return tag.clone();
  }

  @Override
  public synchronized long written() {
    return written;
  }

  @Override
  public void close() {
    abort("aborted by the writer");
  }

  private void abort(String why) {
    int chunksWritten;
    List<Runnable> told;
    synchronized (this) {
      if (done || failed) {
        return;
      }
      failed = true;
      chunksWritten = flushed;
      notifyAll();
      told = readable.take();
    }
    ReadyCallbacks.run(told);
    ended.run();
    try {
      caches.locks().remove(RemoteWrites.progressKey(id)); // readers elsewhere then see the write has failed
      for (int i = 0; i < chunksWritten; i++) {
        body.remove(Records.chunkKey(objectKey, id, i));
      }
    } catch (RuntimeException ignored) {
      // the chunks and the progress record expire anyway
    }
  }

  StoredObject view() {
    ObjectMeta seen;
    synchronized (this) {
      seen = meta;
    }
    return new StoredView(seen, id, () -> {
      synchronized (ChunkedWrite.this) {
        return done;
      }
    }, null, () -> new FollowingReader(ChunkedWrite.this));
  }

  /** Follows a write in this JVM: chunks from the cache once flushed, else from the writer. */
  private static final class FollowingReader implements HitHandler {
    private final ChunkedWrite w;
    private int chunk;
    private int offset;
    private boolean closed;

    FollowingReader(ChunkedWrite w) {
      this.w = w;
    }

    @Override
    public ByteBuffer read() throws IOException {
      return read(true);
    }

    @Override
    public boolean followsWithoutWaiting() {
      return true;
    }

    @Override
    public ByteBuffer readNow() throws IOException {
      return read(false);
    }

    @Override
    public void whenReadable(Runnable ready) {
      w.whenReadable(chunk, offset, ready);
    }

    /** The next bytes; with {@code wait} false, an empty buffer while the writer is behind. */
    private ByteBuffer read(boolean wait) throws IOException {
      if (closed) {
        throw new IOException("reader is closed");
      }
      Blob kept;
      synchronized (w) {
        while (true) {
          if (w.failed) {
            throw new IOException("the write of this object failed; body incomplete");
          }
          if (chunk < w.flushed) {
            break;
          }
          if (chunk == w.flushed && offset < w.filled) {
            byte[] copy = java.util.Arrays.copyOfRange(w.current, offset, w.filled);
            offset = w.filled;
            return ByteBuffer.wrap(copy);
          }
          if (w.done) {
            return null;
          }
          if (!wait) {
            return ByteBuffer.allocate(0);
          }
          try {
            w.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the writer");
          }
        }
        kept = chunk == w.flushed - 1 ? w.lastFlushed : null;
      }
      Blob c = kept;
      if (c == null) {
        try {
          c = w.body.get(Records.chunkKey(w.objectKey, w.id, chunk));
        } catch (RuntimeException storeFailed) {
          throw new IOException("chunk " + chunk + " could not be read: " + storeFailed.getMessage(), storeFailed);
        }
      }
      if (c == null) {
        throw new IOException("chunk " + chunk + " is gone; body incomplete");
      }
      ByteBuffer data = Records.chunkData(c);
      data.position(Math.min(offset, data.limit()));
      chunk++;
      offset = 0;
      if (!data.hasRemaining()) {
        return read(wait);
      }
      return data.slice();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

}
