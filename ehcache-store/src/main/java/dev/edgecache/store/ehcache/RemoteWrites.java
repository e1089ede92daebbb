package dev.edgecache.store.ehcache;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.support.WriteTags;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ehcache.Cache;

/**
 * Follows writes in progress on other nodes, for the readers of this JVM: one follower per write,
 * however many readers stream it, so that a hundred waiters cost the cluster the reads of one.
 * The follower reads the write's progress record when a reader needs a chunk it does not know
 * of yet, and in between waits for the record's change event (with a poll every
 * {@value #WAIT_MILLIS} ms as the fallback for a missed event). The write ends when the object's
 * record names it (committed), or when its progress record disappears without a commit, or after
 * {@value #STALL_MILLIS} ms without progress, or once the key's lock no longer names the write
 * (failed: the readers get an error, never a short body).
 */
final class RemoteWrites {
  static final long WAIT_MILLIS = 50;
  static final long STALL_MILLIS = 60_000;
  /** After this long without progress, and at most this often, the writer's lock is looked at. */
  static final long OWNER_CHECK_MILLIS = 1_000;

  private final Cache<String, Blob> objects;
  private final Cache<String, Blob> progress;
  private final EhcacheKeyLocks events;
  private final ConcurrentHashMap<Long, Follower> followers = new ConcurrentHashMap<>();
  /** The looks at a writer's lock that found it alive, or could not tell: for tests of a pause. */
  private final java.util.concurrent.atomic.AtomicLong writersFoundAlive = new java.util.concurrent.atomic.AtomicLong();

  RemoteWrites(Cache<String, Blob> objects, Cache<String, Blob> progress, EhcacheKeyLocks events) {
    this.objects = objects;
    this.progress = progress;
    this.events = events;
  }

  /** How many looks at a writer's lock found it alive or could not tell, so far. */
  long writersFoundAlive() {
    return writersFoundAlive.get();
  }

  static String progressKey(long writeId) {
    return PROGRESS_PREFIX + Long.toHexString(writeId);
  }

  /** Whether a key of the lock cache is a write's progress record rather than a lock. */
  static boolean isProgressKey(String key) {
    return key.startsWith(PROGRESS_PREFIX);
  }

  private static final String PROGRESS_PREFIX = "w.";

  /**
   * The follower of the write {@code writeId} to {@code objectKey}, shared with this JVM's other
   * readers of that write; each call must be matched by one {@link Follower#release()}.
   */
  Follower follow(String objectKey, long writeId) {
    return followers.compute(writeId, (id, f) -> {
      Follower g = f == null ? new Follower(objectKey, id) : f;
      g.readers++;
      return g;
    });
  }

  /** The follower of one write. */
  final class Follower {
    /** Readers holding this follower; changed only inside the map's compute. */
    private int readers;
    private final String objectKey;
    private final long writeId;
    private final String progressKey;
    private int known;
    private boolean committed;
    private String failure;
    private boolean polling;
    private long lastProgress = System.currentTimeMillis();
    /** When the writer's lock was last looked at; only the polling reader touches it. */
    private long lastOwnerCheck;

    Follower(String objectKey, long writeId) {
      this.objectKey = objectKey;
      this.writeId = writeId;
      this.progressKey = progressKey(writeId);
    }

    /**
     * Waits until chunk {@code index} of the write can be read.
     *
     * @return true when it can, false when the write committed with fewer chunks (the body ended)
     * @throws IOException if the write failed or stalled, or the store failed
     */
    boolean await(int index) throws IOException {
      while (true) {
        synchronized (this) {
          while (true) {
            if (index < known) {
              return true;
            }
            if (committed) {
              return false;
            }
            if (failure != null) {
              throw new IOException(failure);
            }
            if (!polling) {
              polling = true;
              break;
            }
            try {
              wait();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("interrupted while following a write");
            }
          }
        }
        try {
          poll();
        } finally {
          synchronized (this) {
            polling = false;
            notifyAll();
          }
        }
      }
    }

    /** One look at the write, by the one reader polling; then a wait for the next change. */
    private void poll() throws IOException {
      CompletableFuture<Void> change = events.watch(progressKey); // before the reads: no change is missed
      int chunks;
      try {
        if (endIfCommitted()) {
          return;
        }
        Blob p = progress.get(progressKey);
        if (p == null) {
          end(-1, "the write of this object on another node failed; body incomplete");
          return;
        }
        chunks = Records.decodeObject(p).chunks();
      } catch (IllegalArgumentException | StorageException e) {
        end(-1, "cannot follow the write: " + e.getMessage());
        return;
      }
      long now = System.currentTimeMillis();
      synchronized (this) {
        if (chunks > known) {
          known = chunks;
          lastProgress = now;
          return;
        }
        if (now - lastProgress > STALL_MILLIS) {
          end(-1, "the writer on another node stalled; body incomplete");
          return;
        }
      }
      if (now - lastProgress > OWNER_CHECK_MILLIS && now - lastOwnerCheck > OWNER_CHECK_MILLIS) {
        lastOwnerCheck = now;
        if (writerGone()) {
          return;
        }
      }
      try {
        change.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // no event: look again anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while following a write");
      }
    }

    /**
     * Whether the writer has given the key up without committing: its lock no longer names this
     * write (a writer whose abort could not remove its progress record, as when the tier failed
     * under it, or one that lost its lease). Its readers then fail now, and a reader that has sent
     * nothing yet goes to the origin, instead of waiting out the stall limit.
     */
    private boolean writerGone() {
      Optional<LockInfo> holder;
      try {
        holder = events.holder(Records.storageKey(objectKey));
      } catch (StorageException e) {
        // The lock could not be read (a busy or paused tier): that says nothing of the writer.
        // Its lease decides, at the next look; the stall limit still bounds the wait.
        writersFoundAlive.incrementAndGet();
        return false;
      }
      try {
        if (holder.isPresent() && holder.get().writing()
            && WriteTags.idOf(holder.get().writeTag()).orElse(-1) == writeId) {
          writersFoundAlive.incrementAndGet(); // its lease still names this write: alive, however slow
          return false;
        }
        // The lock is released once the write commits: look at the object once more.
        if (!endIfCommitted()) {
          end(-1, "the writer on another node gave the key up; body incomplete");
        }
      } catch (IllegalArgumentException | StorageException e) {
        end(-1, "cannot follow the write: " + e.getMessage());
      }
      return true;
    }

    /** Ends the write as committed if the object's record names it; whether it did. */
    private boolean endIfCommitted() {
      Blob record = objects.get(objectKey);
      Records.StoredRecord r = record == null ? null : Records.decodeObject(record);
      if (r == null || r.writeId() != writeId) {
        return false;
      }
      end(r.chunks(), null);
      return true;
    }

    private synchronized void end(int chunks, String why) {
      if (why == null) {
        committed = true;
        known = chunks;
      } else {
        failure = why;
      }
    }

    /** Done with this follower: the last reader to release it drops it. */
    void release() {
      followers.computeIfPresent(writeId, (id, f) -> f != this || --f.readers > 0 ? f : null);
    }
  }

  /** A reader of another node's write of {@code objectKey}, its chunks read from {@code chunks}. */
  HitHandler reader(String objectKey, long writeId, Cache<String, Blob> chunks) {
    return new RemoteReader(objectKey, writeId, chunks);
  }

  /**
   * Reads another node's write chunk by chunk as its progress record grows, through the one
   * follower of that write in this JVM ({@link RemoteWrites}), until the object commits or the
   * write fails (an error, never a short body).
   */
  private final class RemoteReader implements HitHandler {
    private final String objectKey;
    private final long writeId;
    private final RemoteWrites.Follower follower;
    private int chunk;
    private boolean closed;

    private final Cache<String, Blob> chunks;

    RemoteReader(String objectKey, long writeId, Cache<String, Blob> chunks) {
      this.objectKey = objectKey;
      this.writeId = writeId;
      this.chunks = chunks;
      this.follower = follow(objectKey, writeId);
    }

    @Override
    public ByteBuffer read() throws IOException {
      if (closed) {
        throw new IOException("reader is closed");
      }
      if (!follower.await(chunk)) {
        return null;
      }
      Blob c;
      try {
        c = chunks.get(Records.chunkKey(objectKey, writeId, chunk));
      } catch (RuntimeException storeFailed) {
        throw new IOException("chunk " + chunk + " could not be read: " + storeFailed.getMessage(), storeFailed);
      }
      if (c == null) {
        throw new IOException("chunk " + chunk + " is gone; body incomplete");
      }
      chunk++;
      return Records.chunkData(c);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        follower.release();
      }
    }
  }
}
