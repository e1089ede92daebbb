package dev.edgecache.store.memory;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.Generations;
import dev.edgecache.spi.KeyLocks;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.PurgeReason;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import dev.edgecache.spi.SurrogateKeyIndex;
import dev.edgecache.spi.support.StoredView;
import dev.edgecache.spi.support.WriteTags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory store: the default, a reference for other stores, and the store of tests and
 * small deployments.
 *
 * <p>Bounded in bytes: when the bytes held (bodies in blocks, the last one cut to size, plus an
 * estimate per record) pass the capacity, the least recently used complete objects are
 * evicted until a tenth of the capacity is free. Objects past their last usable moment
 * ({@link ObjectMeta#expiresAtMillis()}) are dropped when met, and by a sweep that a commit runs
 * at most every {@link #SWEEP_INTERVAL_MILLIS}, so that markers and objects nobody asks for again
 * do not sit in the heap until the store is full. A body larger than the maximum object size is refused: its write fails
 * with {@link ObjectTooLargeException}, so the owner streams it to its client uncached.
 *
 * <p>With {@link Builder#diskBodies}, bodies go to files of their own in a directory, under a
 * capacity of their own (evicted the same way), so that objects far larger than the heap stream
 * through at the disk's speed; records and bodies of a declared length below
 * {@link Builder#diskThreshold} (and within the maximum object size) stay on the heap. The files
 * do not outlive the store: they are deleted as records go, when it closes, and when a store is
 * built on a directory that holds some from before.
 *
 * <p>Supports streaming partial writes: readers found by {@link #lookupStreamingWrite} follow the
 * writer without polling. Everything lives in this JVM; several caches sharing one instance
 * collapse and purge together, as nodes of a cluster would.
 *
 * <p>Thread-safe.
 */
public final class MemoryStorage implements CacheStorage {
  /**
   * Bytes of a record besides its key, head and body: the objects each record holds (metadata,
   * body, view, counters, index entries), as a heap histogram of many small objects counts them.
   */
  private static final int RECORD_OVERHEAD = 640;

  /** The least time between two sweeps of expired records. */
  static final long SWEEP_INTERVAL_MILLIS = 30_000;

  private final long capacityBytes;
  /** The directory of body files, or null for none. */
  private final java.nio.file.Path diskDirectory;
  private final long diskCapacityBytes;
  private final long diskThreshold;
  private final AtomicLong diskBytesUsed = new AtomicLong();
  private final Object diskEvictionLock = new Object();
  /** The records with a body file, in the order they go when the files are over their capacity. */
  private final EvictionOrder<StorageKey, Stored> fileOrder = new EvictionOrder<>(s -> s.lastAccess, this::holds);
  private final long maxObjectSize;
  /** Told of each record the store removes on its own account. */
  private volatile java.util.function.Consumer<StorageKey> evictionHook = key -> { };
  /** When the last sweep of expired records ran (clock millis). */
  private final AtomicLong lastSweep = new AtomicLong();
  private final Clock clock;

  private final ConcurrentHashMap<StorageKey, Stored> objects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<CacheKey, Set<StorageKey>> byPrimary = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Write> writes = new ConcurrentHashMap<>();
  private final AtomicLong writeIds = new AtomicLong();
  private final AtomicLong bytesUsed = new AtomicLong();
  /** Counts commits; the recency tick of least-recently-used eviction. */
  private final AtomicLong commits = new AtomicLong();
  private final Object evictionLock = new Object();
  /** Every record, in the order they go when the heap is over its capacity. */
  private final EvictionOrder<StorageKey, Stored> heapOrder = new EvictionOrder<>(s -> s.lastAccess, this::holds);
  private final java.util.concurrent.atomic.LongAdder evictions = new java.util.concurrent.atomic.LongAdder();
  private final MemoryKeyLocks locks;
  private final MemoryGenerations generations;
  private final MemorySurrogateKeyIndex tags = new MemorySurrogateKeyIndex();
  private volatile boolean closed;

  private MemoryStorage(Builder b) {
    this.capacityBytes = b.capacityBytes;
    this.maxObjectSize = b.maxObjectSize;
    this.diskDirectory = b.diskDirectory;
    this.diskCapacityBytes = b.diskCapacityBytes;
    this.diskThreshold = b.diskThreshold;
    this.clock = b.clock;
    this.generations = new MemoryGenerations(b.clock, b.generationRetention);
    this.locks = new MemoryKeyLocks(clock);
    this.lastSweep.set(clock.millis());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bytes held now, by the same measure as the capacity. */
  public long bytesUsed() {
    return bytesUsed.get();
  }

  /** The bytes of body files held now. */
  public long diskBytesUsed() {
    return diskBytesUsed.get();
  }

  @Override
  public dev.edgecache.spi.StoreFigures figures() {
    return new dev.edgecache.spi.StoreFigures("memory", true, size(), bytesUsed(), diskBytesUsed(), evictions(),
        capacityBytes, objectCount());
  }

  /** How many records were evicted to make room, since the store was built. */
  public long evictions() {
    return evictions.sum();
  }

  /** The number of complete records (objects and markers) held now. */
  public int size() {
    return objects.size();
  }

  /** The records that are objects with a body, not markers or vary rules; counted as asked. */
  private long objectCount() {
    long n = 0;
    for (Stored s : objects.values()) {
      if (s.meta.kind() == ObjectMeta.Kind.OBJECT) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Optional<StoredObject> lookup(StorageKey key) {
    checkOpen();
    Stored s = objects.get(key);
    if (s == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    if (s.meta.expiresAtMillis() <= now) {
      evict(key, s);
      return Optional.empty();
    }
    // Recency without a shared read-modify-write on every hit: commits advance the tick, and a
    // hit ranks just above every commit made before it.
    s.lastAccess = 2 * commits.get() + 1;
    return Optional.of(s.view());
  }

  @Override
  public Optional<StoredObject> lookupStreamingWrite(StorageKey key, byte[] writeTag) {
    checkOpen();
    java.util.OptionalLong tagged = WriteTags.idOf(writeTag);
    if (tagged.isEmpty()) {
      return Optional.empty();
    }
    long id = tagged.getAsLong();
    Write w = writes.get(id);
    if (w != null && w.key.equals(key)) {
      return Optional.of(w.stored.view());
    }
    Stored s = objects.get(key);
    if (s != null && s.writeId == id) {
      return Optional.of(s.view());
    }
    return Optional.empty();
  }

  @Override
  public MissHandler openMiss(StorageKey key, ObjectMeta meta) throws ObjectTooLargeException {
    checkOpen();
    Objects.requireNonNull(meta, "meta");
    // a body that may be large goes to a file: one of unknown length could be
    boolean toDisk = diskDirectory != null
        && (meta.length() < 0 || meta.length() >= diskThreshold || meta.length() > maxObjectSize);
    long limit = toDisk ? diskCapacityBytes : maxObjectSize;
    if (meta.length() > limit) {
      throw new ObjectTooLargeException(limit);
    }
    long id = writeIds.incrementAndGet();
    GrowingBody body = toDisk ? fileBody(id) : new Body(meta.length());
    if (body == null) {
      if (meta.length() > maxObjectSize) {
        throw new ObjectTooLargeException(maxObjectSize); // no file: too large for the heap
      }
      body = new Body(meta.length());
    }
    Write w = new Write(id, key, new Stored(meta, body, id, recordSize(key, meta)),
        body instanceof FileBody ? diskCapacityBytes : maxObjectSize);
    writes.put(id, w);
    // Indexed as the write starts, so that a purge by tag during the fill reaches its key.
    for (String tag : meta.surrogateKeys()) {
      tags.add(tag, key.primary());
    }
    bytesUsed.addAndGet(w.stored.recordBytes);
    return w;
  }

  @Override
  public boolean updateMeta(StorageKey key, StoredObject object, ObjectMeta meta) {
    checkOpen();
    Stored s = objects.get(key);
    if (s == null || s.writeId != object.writeId()) {
      return false;
    }
    s.setMeta(meta.withLength(s.meta.length()));
    for (String tag : meta.surrogateKeys()) {
      tags.add(tag, key.primary());
    }
    return true;
  }

  @Override
  public boolean purge(StorageKey key, PurgeReason reason) {
    checkOpen();
    Stored s = objects.get(key);
    return s != null && remove(key, s);
  }

  @Override
  public int purgeAll(CacheKey primary, PurgeReason reason) {
    checkOpen();
    int n = 0;
    for (StorageKey key : keysOf(primary)) {
      if (purge(key, reason)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Set<StorageKey> keysOf(CacheKey primary) {
    Set<StorageKey> keys = byPrimary.get(primary);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }

  @Override
  public void clear() {
    checkOpen();
    for (Map.Entry<StorageKey, Stored> e : objects.entrySet()) {
      remove(e.getKey(), e.getValue());
    }
    tags.clear();
  }

  @Override
  public boolean supportsStreamingPartialWrite() {
    return true;
  }

  @Override
  public long maxObjectSize() {
    return diskDirectory == null ? maxObjectSize : Math.max(maxObjectSize, diskCapacityBytes);
  }

  @Override
  public KeyLocks locks() {
    return locks;
  }

  @Override
  public Generations generations() {
    return generations;
  }

  /** How many keys have a generation counter; for tests of what purges leave behind. */
  int generationCounters() {
    return generations.size();
  }

  @Override
  public SurrogateKeyIndex surrogateKeys() {
    return tags;
  }

  @Override
  public void close() {
    closed = true;
    for (Write w : writes.values()) {
      w.close();
    }
    for (Stored s : objects.values()) {
      s.body.release();
    }
    objects.clear();
    byPrimary.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageException("memory store is closed");
    }
  }

  /**
   * What a record costs besides its body, fixed as its write opens so that what is added and
   * what is taken away always match: the key (held by the index too), the head in the writer's
   * metadata, the tags.
   */
  private static long recordSize(StorageKey key, ObjectMeta meta) {
    long tagBytes = 0;
    for (String tag : meta.surrogateKeys()) {
      tagBytes += 96 + tag.length();
    }
    return RECORD_OVERHEAD + 2L * key.primary().length() + key.variant().length
        + meta.userMetadata().length + tagBytes;
  }

  /** A new body file for write {@code id}, or null if none can be made now (logged). */
  private FileBody fileBody(long id) {
    java.nio.file.Path file = diskDirectory.resolve(BODY_FILE_PREFIX + id + BODY_FILE_SUFFIX);
    try {
      return new FileBody(file);
    } catch (IOException e) {
      java.util.logging.Logger.getLogger(MemoryStorage.class.getName()).warning(
          "cannot create the body file " + file + " (" + e + "); the body goes on the heap or is not stored");
      return null;
    }
  }

  private static final String BODY_FILE_PREFIX = "edgecache-body-";
  private static final String BODY_FILE_SUFFIX = ".bin";

  /** Deletes the body files a store on {@code dir} left behind: no index outlives its store. */
  /**
   * Makes, writes and removes a body file in {@code dir}: a directory where none can be made
   * fails the start, rather than every large body going to the heap later, one warning each.
   */
  private static void probe(java.nio.file.Path dir) {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile(dir, BODY_FILE_PREFIX + "probe-", BODY_FILE_SUFFIX);
      try {
        java.nio.file.Files.write(f, new byte[] {1});
      } finally {
        java.nio.file.Files.deleteIfExists(f);
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw new StorageException("cannot write body files in " + dir + " (" + e + "); give the store a directory"
          + " where it may make files", e);
    }
  }

  private static void deleteBodyFiles(java.nio.file.Path dir) {
    try (var files = java.nio.file.Files.newDirectoryStream(dir, BODY_FILE_PREFIX + "*" + BODY_FILE_SUFFIX)) {
      for (java.nio.file.Path f : files) {
        java.nio.file.Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new StorageException("cannot clear the body files in " + dir + ": " + e.getMessage()
          + "; give the store a directory of its own that it may write", e);
    }
  }

  /** What a record's body holds is gone with it: its heap bytes counted back, its file deleted. */
  private void released(Stored s) {
    bytesUsed.addAndGet(-(s.body.footprint() + s.recordBytes));
    diskBytesUsed.addAndGet(-s.body.diskBytes());
    s.body.release();
  }

  /** Makes a finished write the complete object of its key, replacing the previous one. */
  private void commit(Write w) {
    Stored s = w.stored;
    s.lastAccess = 2 * commits.incrementAndGet();
    byPrimary.compute(w.key.primary(), (k, set) -> {
      Set<StorageKey> keys = set != null ? set : ConcurrentHashMap.newKeySet();
      keys.add(w.key);
      return keys;
    });
    Stored previous = objects.put(w.key, s);
    int records = objects.size();
    heapOrder.add(w.key, s, records);
    if (s.body instanceof FileBody) {
      fileOrder.add(w.key, s, records);
    }
    writes.remove(w.id);
    if (previous != null) {
      released(previous);
    }
    sweepIfDue();
    evictIfNeeded();
  }

  /** Removes the expired records, when the last sweep is long enough ago; one commit sweeps. */
  private void sweepIfDue() {
    long now = clock.millis();
    long last = lastSweep.get();
    if (now - last < SWEEP_INTERVAL_MILLIS || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    for (Map.Entry<StorageKey, Stored> e : objects.entrySet()) {
      if (e.getValue().meta.expiresAtMillis() <= now) {
        evict(e.getKey(), e.getValue());
      }
    }
  }

  /** Removes a record on the store's own account (full, or past its last usable moment), and says so. */
  private boolean evict(StorageKey key, Stored s) {
    if (!remove(key, s)) {
      return false;
    }
    try {
      evictionHook.accept(key);
    } catch (RuntimeException e) {
      // the hook's failure is not the store's
    }
    return true;
  }

  @Override
  public void evictionHook(java.util.function.Consumer<StorageKey> hook) {
    this.evictionHook = Objects.requireNonNull(hook, "hook");
  }

  private boolean remove(StorageKey key, Stored s) {
    if (!objects.remove(key, s)) {
      return false;
    }
    released(s);
    byPrimary.computeIfPresent(key.primary(), (k, set) -> {
      set.remove(key);
      return set.isEmpty() ? null : set;
    });
    if (!byPrimary.containsKey(key.primary()) && !writing(key.primary())) {
      // Only when no variant is left nor being written: another may carry the same tags.
      for (String tag : s.meta.surrogateKeys()) {
        tags.remove(tag, key.primary());
      }
    }
    return true;
  }

  /** Whether {@code s} is still the record of {@code key}. */
  private boolean holds(StorageKey key, Stored s) {
    return objects.get(key) == s;
  }

  private boolean writing(CacheKey primary) {
    for (Write w : writes.values()) {
      if (w.key.primary().equals(primary)) {
        return true;
      }
    }
    return false;
  }

  private void evictIfNeeded() {
    evict(bytesUsed, capacityBytes, evictionLock, heapOrder);
  }

  /** As {@link #evictIfNeeded}, for the bytes of body files: only records with one go. */
  private void evictFilesIfNeeded() {
    evict(diskBytesUsed, diskCapacityBytes, diskEvictionLock, fileOrder);
  }

  /**
   * When {@code used} is over {@code capacity}, removes records in {@code order} (the least
   * recently used first, near enough) until a tenth of it is free.
   */
  private void evict(AtomicLong used, long capacity, Object lock, EvictionOrder<StorageKey, Stored> order) {
    if (used.get() <= capacity) {
      return;
    }
    synchronized (lock) {
      if (used.get() <= capacity) {
        return; // another thread made room meanwhile
      }
      long target = capacity - capacity / 10;
      Map.Entry<StorageKey, Stored> victim;
      while (used.get() > target && (victim = order.next()) != null) {
        if (evict(victim.getKey(), victim.getValue())) {
          evictions.increment();
        }
      }
    }
  }

  /** A record: metadata, body and counters. */
  private static final class Stored {
    volatile ObjectMeta meta;
    final GrowingBody body;
    final long writeId;
    /** What the record costs besides its body, as counted when its write opened. */
    final long recordBytes;
    final AtomicLong hits = new AtomicLong();
    volatile long lastAccess;
    /** The view of a complete record, made once per metadata change: hits need no allocation. */
    private volatile StoredObject completeView;

    Stored(ObjectMeta meta, GrowingBody body, long writeId, long recordBytes) {
      this.meta = meta;
      this.body = body;
      this.writeId = writeId;
      this.recordBytes = recordBytes;
    }

    void setMeta(ObjectMeta m) {
      meta = m;
      completeView = null;
    }

    StoredObject view() {
      StoredObject v = completeView;
      if (v != null) {
        return v;
      }
      ObjectMeta m = meta;
      v = newView(m);
      if (body.isComplete() && m == meta) {
        completeView = v;
      }
      return v;
    }

    private StoredObject newView(ObjectMeta m) {
      ObjectMeta seen = m.length() < 0 && body.isComplete() ? m.withLength(body.size()) : m;
      return new StoredView(seen, writeId, body::isComplete, hits, () -> new BodyReader(body));
    }
  }

  /** A write in progress; its body is readable through {@link #lookupStreamingWrite}. */
  private final class Write implements MissHandler {
    final long id;
    final StorageKey key;
    final Stored stored;
    private final byte[] tag;
    /** The most bytes the body may have. */
    private final long limit;
    private long written;
    private boolean done;

    Write(long id, StorageKey key, Stored stored, long limit) {
      this.id = id;
      this.key = key;
      this.stored = stored;
      this.limit = limit;
      this.tag = WriteTags.of(id);
    }

    @Override
    public void write(ByteBuffer chunk) throws IOException {
      if (done) {
        throw new IOException("write is already finished or aborted");
      }
      long before = stored.body.footprint();
      int n = chunk.remaining();
      if (written + n > limit) {
        close();
        throw new ObjectTooLargeException(limit);
      }
      try {
        stored.body.append(chunk);
      } catch (IOException e) {
        close(); // a body file that cannot be written (the disk is full): the write fails whole
        throw e;
      }
      written += n;
      long grown = stored.body.footprint() - before;
      if (grown > 0 && bytesUsed.addAndGet(grown) > capacityBytes) {
        evictIfNeeded();
      }
      if (stored.body instanceof FileBody && diskBytesUsed.addAndGet(n) > diskCapacityBytes) {
        evictFilesIfNeeded();
      }
    }

    @Override
    public long finish() throws IOException {
      if (done) {
        throw new IOException("write is already finished or aborted");
      }
      done = true;
      stored.setMeta(stored.meta.withLength(written));
      bytesUsed.addAndGet(-stored.body.trim());
      if (closed) {
        stored.body.complete();
        throw new IOException("memory store is closed");
      }
      try {
        commit(this);
      } finally {
        // after the commit: a reader that sees the end may ask again at once and find the object
        stored.body.complete();
      }
      return written;
    }

    @Override
    public byte[] writeTag() {
      return tag.clone();
    }

    @Override
    public long written() {
      return written;
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      released(stored);
      stored.body.fail("aborted by the writer");
      writes.remove(id);
    }
  }

  /**
   * The capacity a store gets when none is given: a quarter of the heap this JVM may grow to, at
   * least 16 MiB and at most 256 MiB. A store as large as the heap would fill it, with the
   * requests it serves still to be answered; a quarter leaves the rest to them and to the
   * application.
   */
  public static long defaultCapacityBytes() {
    return Math.max(16L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
  }

  /** The largest object stored when no size is given: 16 MiB, or the capacity if that is less. */
  public static long defaultMaxObjectSize(long capacityBytes) {
    return Math.min(16L << 20, capacityBytes);
  }

  /** The least declared length whose body goes to a file when the store has a directory: 1 MiB. */
  public static final long DEFAULT_DISK_THRESHOLD = 1L << 20;

  /** Builds a {@link MemoryStorage}. */
  public static final class Builder {
    private long capacityBytes = defaultCapacityBytes();
    private long maxObjectSize = -1;
    private Clock clock = Clock.systemUTC();
    private java.time.Duration generationRetention = java.time.Duration.ofDays(30);
    private java.nio.file.Path diskDirectory;
    private long diskCapacityBytes;
    private long diskThreshold = DEFAULT_DISK_THRESHOLD;

    private Builder() {}

    /**
     * The bytes the store may hold before it evicts, bodies and an estimate of each record
     * counted. Default {@link #defaultCapacityBytes()}.
     */
    public Builder capacityBytes(long value) {
      if (value < Body.MIN_BLOCK) {
        throw new IllegalArgumentException(
            "capacityBytes must be at least " + Body.MIN_BLOCK + ": " + value);
      }
      this.capacityBytes = value;
      return this;
    }

    /** The largest body stored, in bytes. Default {@link #defaultMaxObjectSize}. */
    public Builder maxObjectSize(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxObjectSize must not be negative: " + value);
      }
      this.maxObjectSize = value;
      return this;
    }

    /**
     * Keeps bodies in files of their own in {@code directory} (made if need be), at most
     * {@code capacityBytes} of them, evicted least recently used first; such a body may be as
     * large as that capacity. Bodies of a declared length below {@link #diskThreshold} and within
     * {@link #maxObjectSize} stay on the heap; those of an unknown length, which may be large, go
     * to files. Files of a store that used the directory before are deleted when this one is
     * built. Default: no files.
     */
    public Builder diskBodies(java.nio.file.Path directory, long capacityBytes) {
      if (capacityBytes < 1) {
        throw new IllegalArgumentException("the disk capacity must be positive: " + capacityBytes);
      }
      this.diskDirectory = Objects.requireNonNull(directory, "directory");
      this.diskCapacityBytes = capacityBytes;
      return this;
    }

    /**
     * The least declared length whose body goes to a file, with {@link #diskBodies}. Default
     * {@value #DEFAULT_DISK_THRESHOLD} bytes.
     */
    public Builder diskThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("diskThreshold must not be negative: " + bytes);
      }
      this.diskThreshold = bytes;
      return this;
    }

    /**
     * How long a key's generation counter is kept after it was last moved or snapshotted
     * (cascache's {@code GenRetention}), so that counters do not grow without bound: a write
     * without the key's lock, or a write at a generation snapshot, that takes longer than this
     * may no longer lose to a purge. Default 30 days.
     */
    public Builder generationRetention(java.time.Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("generationRetention must be positive: " + value);
      }
      this.generationRetention = value;
      return this;
    }

    /** The clock for lease and object expiry. Default: the system clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the maximum object size exceeds the capacity
     */
    public MemoryStorage build() {
      if (maxObjectSize < 0) {
        maxObjectSize = defaultMaxObjectSize(capacityBytes);
      }
      if (maxObjectSize > capacityBytes) {
        throw new IllegalArgumentException("maxObjectSize " + maxObjectSize
            + " must not exceed capacityBytes " + capacityBytes);
      }
      if (diskDirectory != null) {
        try {
          java.nio.file.Files.createDirectories(diskDirectory);
        } catch (IOException e) {
          throw new StorageException("cannot make the body file directory " + diskDirectory + ": " + e.getMessage()
              + "; give the store a directory it may write", e);
        }
        deleteBodyFiles(diskDirectory);
        probe(diskDirectory);
      }
      return new MemoryStorage(this);
    }
  }
}
