package dev.edgecache.spi;

import dev.edgecache.CacheKey;
import java.util.Optional;
import java.util.Set;

/**
 * The storage SPI, modelled on pingora-cache's {@code Storage}: the core cache API reads and
 * writes objects only through it, so stores can be swapped without touching the core.
 *
 * <p>A store keeps complete objects, which {@link #lookup} finds, and streaming writes in
 * progress, which only {@link #lookupStreamingWrite} finds, by the writer's tag. It knows nothing
 * of HTTP: freshness, vary and purges are decided by the core from {@link ObjectMeta}.
 *
 * <p>Implementations are thread-safe. Backend failures surface as {@link StorageException}; the
 * core then treats the operation as a miss.
 */
public interface CacheStorage extends AutoCloseable {
  /** The complete object under {@code key}, if there is one. Does not count a hit. */
  Optional<StoredObject> lookup(StorageKey key);

  /**
   * The streaming write under {@code key} whose {@link MissHandler#writeTag()} is {@code writeTag},
   * while it is in progress, else the complete object if that write has committed it; empty if
   * the write is unknown or failed. Never returns another write's body.
   */
  Optional<StoredObject> lookupStreamingWrite(StorageKey key, byte[] writeTag);

  /**
   * Starts writing an object. Nothing is visible to {@link #lookup} until the handler finishes;
   * a previous object under the key stays readable until then.
   *
   * @throws ObjectTooLargeException if {@code meta.length()} already exceeds the maximum size
   */
  MissHandler openMiss(StorageKey key, ObjectMeta meta) throws ObjectTooLargeException;

  /**
   * Replaces the metadata of {@code object}, the complete object a lookup of {@code key} found,
   * keeping its body. The length in {@code meta} is ignored: the stored length stays.
   *
   * <p>The change is made only while {@code object} (its {@link StoredObject#writeId write id}) is
   * still the one under the key: metadata made from one object (a revalidation's merged head, a
   * soft purge's mark) must never be given to another body written under the key since.
   *
   * @return false if {@code object} is no longer the complete object under the key (replaced,
   *     purged or evicted since it was found)
   */
  boolean updateMeta(StorageKey key, StoredObject object, ObjectMeta meta);

  /** Removes the complete object under {@code key}. Returns whether there was one. */
  boolean purge(StorageKey key, PurgeReason reason);

  /** Removes every object under {@code primary}, whatever its variant. Returns how many. */
  int purgeAll(CacheKey primary, PurgeReason reason);

  /** The keys of the complete objects under {@code primary}; a snapshot. */
  Set<StorageKey> keysOf(CacheKey primary);

  /** Removes every object. Writes in progress fail to commit visibly (their epoch is old). */
  void clear();

  /**
   * Whether readers can follow a write in progress. A store that cannot makes waiters wait for
   * the commit instead.
   */
  boolean supportsStreamingPartialWrite();

  /** The largest body the store accepts, in bytes. */
  long maxObjectSize();

  /** The store's key locks. */
  KeyLocks locks();

  /** The store's generation counters. */
  Generations generations();

  /** The store's surrogate-key index. */
  SurrogateKeyIndex surrogateKeys();

  /**
   * Lets the core hear of objects the store drops when it reads them (a chunk evicted while the
   * object's record stayed, a damaged record), so that the cache's listener is told. A store that
   * never drops objects on read may ignore it.
   */
  default void selfHealHook(java.util.function.BiConsumer<StorageKey, String> hook) {}

  /**
   * Sets what the store tells of each object it removes on its own account, because it is full
   * or the object is past its last usable moment (pingora's {@code PurgeType::Eviction}, here
   * {@link PurgeReason#EVICTION}); purges a caller asks for are not told. Called at most once,
   * before use; by default the store tells nothing.
   */
  default void evictionHook(java.util.function.Consumer<StorageKey> hook) {}

  /** What the store can tell of itself now, for metrics and the status page; by default nothing. */
  default StoreFigures figures() {
    return StoreFigures.unknown(getClass().getSimpleName());
  }

  /** Releases the store's resources. Later calls may throw {@link StorageException}. */
  @Override
  void close();
}
