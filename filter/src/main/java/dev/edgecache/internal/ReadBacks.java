package dev.edgecache.internal;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * What an owner's {@code insertAndStreamBack} reads: the write itself as it goes on a store that
 * streams partial writes, the object once committed on one that does not, or nothing at all for
 * a write the store refused.
 */
final class ReadBacks {
  private ReadBacks() {}

  /** The object that reads {@code fill} back. */
  static StoredObject of(Fill fill, GuardedStorage guarded) {
    StoredObject o = fill.miss == null ? null
        : fill.store.supportsStreamingPartialWrite()
            ? guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag)
            : new CommittedReadBack(fill, guarded);
    return o != null ? o : RefusedReadBack.INSTANCE;
  }

  /** The read-back of a write on a store that cannot stream: readers wait for the commit. */
  private static final class CommittedReadBack implements StoredObject {
    private final Fill fill;
    private final GuardedStorage guarded;

    CommittedReadBack(Fill fill, GuardedStorage guarded) {
      this.fill = fill;
      this.guarded = guarded;
    }

    @Override
    public ObjectMeta meta() {
      StoredObject o = guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag);
      return o != null ? o.meta() : RefusedReadBack.INSTANCE.meta();
    }

    @Override
    public long writeId() {
      StoredObject o = guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag);
      return o != null ? o.writeId() : RefusedReadBack.INSTANCE.writeId();
    }

    @Override
    public boolean complete() {
      return fill.done.getNow(false);
    }

    @Override
    public long hits() {
      return 0;
    }

    @Override
    public long recordHit() {
      return 0;
    }

    @Override
    public HitHandler openBody() throws IOException {
      boolean committed;
      try {
        committed = fill.done.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the write");
      } catch (ExecutionException e) {
        throw new IOException(e.getCause());
      }
      StoredObject o = committed ? guarded.lookupStreamingWrite(fill.store, fill.target, fill.writeTag) : null;
      if (o == null) {
        throw new IOException("the write failed; its body is incomplete");
      }
      return o.openBody();
    }
  }

  /** The read-back of a write the store refused: there is nothing to read back. */
  private static final class RefusedReadBack implements StoredObject {
    static final RefusedReadBack INSTANCE = new RefusedReadBack();
    private final ObjectMeta meta = ObjectMeta.builder(ObjectMeta.Kind.OBJECT).build();

    @Override
    public ObjectMeta meta() {
      return meta;
    }

    @Override
    public long writeId() {
      return -1; // no write: a number no store gives
    }

    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public long hits() {
      return 0;
    }

    @Override
    public long recordHit() {
      return 0;
    }

    @Override
    public HitHandler openBody() throws IOException {
      throw new IOException("the store refused this object (too large, or unavailable): nothing to read back");
    }
  }
}
