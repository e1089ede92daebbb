package dev.edgecache;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.KeyLocks;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.LockLease;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import dev.edgecache.spi.SurrogateKeyIndex;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** A store that fails on demand, as a backend that is down: each switch breaks one area. */
public final class FailingStorage implements CacheStorage {
  private final CacheStorage delegate;
  public volatile boolean failReads;
  public volatile boolean failWrites;
  public volatile boolean failLocks;
  public volatile boolean failGenerations;
  /** Records still read and written, bodies not: a chunk gone, a body write refused. */
  public volatile boolean failBodies;
  /** Lock holders still read, but no watch of a lock can be set: a tier lost between the two. */
  public volatile boolean failLockWatches;

  public FailingStorage(CacheStorage delegate) {
    this.delegate = delegate;
  }

  private static StorageException down() {
    return new StorageException("backend unreachable");
  }

  /** While set, every lookup waits for it to open: a store that answers slowly. */
  public volatile java.util.concurrent.CountDownLatch lookupGate;

  /** While set, every take or renewal of a lock waits for it to open; counted down on entry. */
  public volatile java.util.concurrent.CountDownLatch lockGate;
  /** Counted down as a take or renewal of a lock reaches {@link #lockGate}. */
  public volatile java.util.concurrent.CountDownLatch atLockGate;

  private static void pass(java.util.concurrent.CountDownLatch gate) {
    if (gate != null) {
      try {
        gate.await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void passLockGate() {
    java.util.concurrent.CountDownLatch at = atLockGate;
    java.util.concurrent.CountDownLatch gate = lockGate;
    if (gate != null && at != null) {
      at.countDown();
    }
    pass(gate);
  }

  @Override
  public Optional<StoredObject> lookup(StorageKey key) {
    pass(lookupGate);
    if (failReads) {
      throw down();
    }
    return delegate.lookup(key).map(this::bodiesMayFail);
  }

  private StoredObject bodiesMayFail(StoredObject o) {
    return new StoredObject() {
      @Override
      public ObjectMeta meta() {
        return o.meta();
      }

      @Override
      public long writeId() {
        return o.writeId();
      }

      @Override
      public boolean complete() {
        return o.complete();
      }

      @Override
      public long hits() {
        return o.hits();
      }

      @Override
      public long recordHit() {
        return o.recordHit();
      }

      @Override
      public dev.edgecache.spi.HitHandler openBody() throws java.io.IOException {
        if (failBodies) {
          throw new java.io.IOException("chunk 0 is gone; body incomplete");
        }
        return recorded(o.openBody());
      }
    };
  }

  /** How each hit ended, in order: whether its body was read to the end (HitHandler.finish). */
  public final java.util.List<Boolean> finishes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private dev.edgecache.spi.HitHandler recorded(dev.edgecache.spi.HitHandler h) {
    return new dev.edgecache.spi.HitHandler() {
      @Override
      public java.nio.ByteBuffer read() throws java.io.IOException {
        return h.read();
      }

      @Override
      public boolean followsWithoutWaiting() {
        return h.followsWithoutWaiting();
      }

      @Override
      public java.nio.ByteBuffer readNow() throws java.io.IOException {
        return h.readNow();
      }

      @Override
      public void whenReadable(Runnable ready) {
        h.whenReadable(ready);
      }

      @Override
      public boolean canSeek() {
        return h.canSeek();
      }

      @Override
      public void seek(long start, long endExclusive) throws java.io.IOException {
        h.seek(start, endExclusive);
      }

      @Override
      public void finish(boolean completed) {
        finishes.add(completed);
        h.finish(completed);
      }

      @Override
      public void close() {
        h.close();
      }
    };
  }

  private MissHandler bodyWritesMayFail(MissHandler m) {
    return new MissHandler() {
      @Override
      public void write(java.nio.ByteBuffer chunk) throws java.io.IOException {
        if (failBodies) {
          throw new java.io.IOException("the store refused the chunk");
        }
        m.write(chunk);
      }

      @Override
      public long finish() throws java.io.IOException {
        return m.finish();
      }

      @Override
      public byte[] writeTag() {
        return m.writeTag();
      }

      @Override
      public long written() {
        return m.written();
      }

      @Override
      public void close() {
        m.close();
      }
    };
  }

  @Override
  public Optional<StoredObject> lookupStreamingWrite(StorageKey key, byte[] writeTag) {
    if (failReads) {
      throw down();
    }
    return delegate.lookupStreamingWrite(key, writeTag);
  }

  @Override
  public MissHandler openMiss(StorageKey key, ObjectMeta meta) throws ObjectTooLargeException {
    if (failWrites) {
      throw down();
    }
    return bodyWritesMayFail(delegate.openMiss(key, meta));
  }

  @Override
  public boolean updateMeta(StorageKey key, StoredObject object, ObjectMeta meta) {
    if (failWrites) {
      throw down();
    }
    return delegate.updateMeta(key, object, meta);
  }

  @Override
  public boolean purge(StorageKey key, PurgeReason reason) {
    if (failWrites) {
      throw down();
    }
    return delegate.purge(key, reason);
  }

  @Override
  public int purgeAll(CacheKey primary, PurgeReason reason) {
    if (failWrites) {
      throw down();
    }
    return delegate.purgeAll(primary, reason);
  }

  @Override
  public Set<StorageKey> keysOf(CacheKey primary) {
    return delegate.keysOf(primary);
  }

  @Override
  public void clear() {
    delegate.clear();
  }

  @Override
  public boolean supportsStreamingPartialWrite() {
    return delegate.supportsStreamingPartialWrite();
  }

  @Override
  public long maxObjectSize() {
    return delegate.maxObjectSize();
  }

  @Override
  public KeyLocks locks() {
    KeyLocks locks = delegate.locks();
    return new KeyLocks() {
      @Override
      public Optional<LockLease> tryAcquire(StorageKey key, Duration lease) {
        passLockGate();
        if (failLocks) {
          throw down();
        }
        return locks.tryAcquire(key, lease);
      }

      @Override
      public boolean renew(LockLease lease, Duration leaseTime) {
        passLockGate();
        if (failLocks) {
          throw down();
        }
        return locks.renew(lease, leaseTime);
      }

      @Override
      public boolean publishWriteTag(LockLease lease, byte[] writeTag) {
        if (failLocks) {
          throw down();
        }
        return locks.publishWriteTag(lease, writeTag);
      }

      @Override
      public boolean release(LockLease lease) {
        if (failLocks) {
          throw down();
        }
        return locks.release(lease);
      }

      @Override
      public Optional<LockInfo> holder(StorageKey key) {
        if (failLocks) {
          throw down();
        }
        return locks.holder(key);
      }

      @Override
      public CompletionStage<Void> onChange(StorageKey key) {
        if (failLocks || failLockWatches) {
          throw down();
        }
        return locks.onChange(key);
      }
    };
  }

  @Override
  public Generations generations() {
    Generations g = delegate.generations();
    return new Generations() {
      @Override
      public long current(CacheKey key) {
        if (failGenerations) {
          throw down();
        }
        return g.current(key);
      }

      @Override
      public long bump(CacheKey key) {
        if (failGenerations) {
          throw down();
        }
        return g.bump(key);
      }

      @Override
      public long epoch() {
        if (failGenerations) {
          throw down();
        }
        return g.epoch();
      }

      @Override
      public long bumpEpoch() {
        if (failGenerations) {
          throw down();
        }
        return g.bumpEpoch();
      }

      @Override
      public long scopeSerial() {
        if (failGenerations) {
          throw down();
        }
        return g.scopeSerial();
      }

      @Override
      public long bumpScopeSerial() {
        if (failGenerations) {
          throw down();
        }
        return g.bumpScopeSerial();
      }

      @Override
      public dev.edgecache.spi.ScopeState scope(String scope) {
        if (failGenerations) {
          throw down();
        }
        return g.scope(scope);
      }

      @Override
      public dev.edgecache.spi.ScopeState purgeScope(String scope, boolean soft, long atMillis) {
        if (failGenerations) {
          throw down();
        }
        return g.purgeScope(scope, soft, atMillis);
      }
    };
  }

  @Override
  public SurrogateKeyIndex surrogateKeys() {
    return delegate.surrogateKeys();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
