package dev.edgecache.internal;

import dev.edgecache.BodyLengthException;
import dev.edgecache.BodySink;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One object being written: the sink the owner writes to, in front of the store's miss handler.
 * It checks the declared length, renews the store lock while the write goes on, and tells the
 * cache when the write ends, committed or not, so that the key's flight ends with it.
 *
 * <p>When the store refused the write ({@link #miss} null) the sink counts and drops the bytes:
 * the owner still streams its response, which is just not cached.
 */
final class Fill extends BodySink {
  private final OwnerMoves cache;
  final Transaction txn;
  final StorageKey target;
  final MissHandler miss;
  final byte[] writeTag;
  /** Where the write goes: the cache's store, or where it is shared while the store is away. */
  final dev.edgecache.spi.CacheStorage store;
  /** Whether the write is kept once committed: false for one shared only with its waiters. */
  private final boolean kept;
  private final long declaredLength;
  /** The flight this write is attached to; null when nobody waits on it. Set once. */
  volatile Flight flight;
  /**
   * Whether waiters may be given this write: it is fresh when it starts (RFC 9111 §4). Set once,
   * before the write is attached to its flight.
   */
  volatile boolean shareable = true;
  /** The store lock renewed while writing; null if none. Set once. */
  volatile LockLease lease;
  /** Completes with true when the write commits, false when it aborts. */
  final CompletableFuture<Boolean> done = new CompletableFuture<>();
  private long written;
  private volatile boolean ended;
  private long lastRenewalMillis;

  /**
   * @param store where {@code miss} writes
   * @param kept whether the committed write is kept (false: shared with its waiters only)
   */
  Fill(OwnerMoves cache, Transaction txn, StorageKey target, MissHandler miss, long declaredLength,
      dev.edgecache.spi.CacheStorage store, boolean kept) {
    this.store = store;
    this.kept = kept;
    this.cache = cache;
    this.txn = txn;
    this.target = target;
    this.miss = miss;
    this.writeTag = miss == null ? null : miss.writeTag();
    this.declaredLength = declaredLength;
    this.lastRenewalMillis = cache.clock().millis();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (ended) {
      throw new IOException("the body was already committed or aborted");
    }
    if (declaredLength >= 0 && written + len > declaredLength) {
      abort();
      throw new BodyLengthException(declaredLength, written + len, false);
    }
    if (miss != null) {
      try {
        miss.write(ByteBuffer.wrap(b, off, len));
      } catch (IOException e) {
        abort();
        throw e;
      } catch (StorageException e) {
        abort();
        throw new IOException("the store failed while writing: " + e.getMessage(), e);
      }
    }
    written += len;
    renewLeaseIfDue();
    if (declaredLength >= 0 && written == declaredLength) {
      // The last declared byte: commit now. The object is whole whatever the owner's request
      // does next; a container that ends it early (its client left) cannot cut the waiters off.
      close();
    }
  }

  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    if (declaredLength >= 0 && written != declaredLength) {
      abort();
      throw new BodyLengthException(declaredLength, written, true);
    }
    ended = true;
    if (miss == null) {
      cache.fillEnded(this, false);
      return;
    }
    try {
      miss.finish();
    } catch (IOException | StorageException e) {
      miss.close();
      cache.fillEnded(this, false);
      throw e instanceof IOException io ? io : new IOException("the store failed to commit", e);
    }
    cache.fillEnded(this, true);
  }

  @Override
  public void abort() {
    if (ended) {
      return;
    }
    ended = true;
    if (miss != null) {
      miss.close();
    }
    cache.fillEnded(this, false);
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public boolean stores() {
    return miss != null;
  }

  @Override
  public boolean keeps() {
    return miss != null && kept;
  }

  /** Whether this write is shared with its waiters only, not kept (the store was away). */
  boolean sharedOnly() {
    return miss != null && !kept;
  }

  @Override
  public boolean ended() {
    return ended;
  }

  private void renewLeaseIfDue() {
    if (lease == null) {
      return;
    }
    long now = cache.clock().millis();
    if (now - lastRenewalMillis >= cache.lockTimeoutMillis() / 2) {
      lastRenewalMillis = now;
      cache.renew(lease);
    }
  }
}
