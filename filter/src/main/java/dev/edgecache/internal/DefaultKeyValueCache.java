package dev.edgecache.internal;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheStateException;
import dev.edgecache.CacheKey;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.SelfHealReason;
import dev.edgecache.WriteOptions;
import dev.edgecache.kv.BulkRead;
import dev.edgecache.kv.BulkRejectReason;
import dev.edgecache.kv.Codec;
import dev.edgecache.kv.GetOrSetEntry;
import dev.edgecache.kv.KeyValueCache;
import dev.edgecache.kv.LoaderException;
import dev.edgecache.kv.MissingGenerationsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value face on the core cache. Values are objects whose max age is the TTL and that have
 * no stale windows. Keys are stored as {@code "kv" 0x00, namespace length (4 bytes), namespace,
 * key}, all UTF-8, so namespaces cannot collide with each other or with HTTP keys.
 *
 * <p>{@link #getOrSet} collapses twice: callers in this JVM share one load through {@link #loads},
 * whose failure reaches each of them; the load itself is a transaction lookup, so loads on other
 * nodes of a shared store wait for it too.
 */
final class DefaultKeyValueCache<V> implements KeyValueCache<V> {
  private final KeyValueBackend core;
  private final Codec<V> codec;
  private final byte[] prefix;
  private final ConcurrentHashMap<String, CompletableFuture<V>> loads = new ConcurrentHashMap<>();

  /**
   * How long a value set without a TTL is kept when the face has no default: as good as until
   * evicted (WASI: "as-if a very large TTL were used").
   */
  static final Duration UNTIL_EVICTED = Duration.ofDays(365L * 100);
  /** The TTL of values set without one; null for {@link #UNTIL_EVICTED}. */
  private final Duration defaultTtl;

  private final String namespace;

  DefaultKeyValueCache(KeyValueBackend core, String namespace, Codec<V> codec, Duration defaultTtl) {
    this.namespace = namespace;
    this.defaultTtl = defaultTtl;
    this.core = core;
    this.codec = Objects.requireNonNull(codec, "codec must not be null");
    Objects.requireNonNull(namespace, "namespace must not be null");
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('k');
    out.write('v');
    out.write(0);
    out.write(ns.length >>> 24);
    out.write(ns.length >>> 16);
    out.write(ns.length >>> 8);
    out.write(ns.length);
    out.write(ns, 0, ns.length);
    this.prefix = out.toByteArray();
  }

  private CacheKey keyOf(String key) {
    Objects.requireNonNull(key, "key must not be null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[prefix.length + k.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(k, 0, all, prefix.length, k.length);
    CacheKey ck = CacheKey.of(all);
    core.checkKey(ck);
    return ck;
  }

  static Duration checkTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl must not be null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return ttl;
  }

  @Override
  public Optional<V> get(String key) {
    CacheKey k = keyOf(key);
    Optional<CacheEntry> found = core.cache().lookup(k, LookupOptions.DEFAULT);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try (CacheEntry e = found.get()) {
      if (!e.has(LookupState.USABLE) || e.has(LookupState.STALE)) {
        return Optional.empty();
      }
      return decode(k, e);
    }
  }

  /** The entry's value; a value that fails to read or decode is dropped (self-heal). */
  private Optional<V> decode(CacheKey k, CacheEntry e) {
    byte[] bytes;
    try (InputStream in = e.body()) {
      bytes = in.readAllBytes();
    } catch (IOException failed) {
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(bytes));
    } catch (RuntimeException bad) {
      core.cache().purge(k);
      try {
        core.listener().selfHealed(k, SelfHealReason.VALUE_DECODE);
      } catch (RuntimeException ignored) {
        // hooks' exceptions are ignored
      }
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(String key) {
    return get(key).isPresent();
  }

  @Override
  public void set(String key, V value, Duration ttl) {
    CacheKey k = keyOf(key);
    byte[] bytes = encode(value);
    write(core.cache().insert(k, options(checkTtl(ttl), bytes.length)), bytes);
  }

  @Override
  public void set(String key, V value) {
    set(key, value, defaultTtl());
  }

  private Duration defaultTtl() {
    return defaultTtl != null ? defaultTtl : UNTIL_EVICTED;
  }

  @Override
  public CompletionStage<GetOrSetEntry<V>> getOrSetEntry(String key) {
    CacheKey k = keyOf(key);
    return core.cache().transactionLookupAsync(k, LookupOptions.DEFAULT).thenApplyAsync(entry -> {
      if (entry.has(LookupState.USABLE) && !entry.has(LookupState.STALE)) {
        try (entry) {
          Optional<V> v = decode(k, entry);
          if (v.isPresent()) {
            return new GetOrSetEntry.Occupied<>(v.get());
          }
        }
        return new GetOrSetEntry.Vacant<>(new KeyVacancy(k, null)); // a value that did not decode
      }
      if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
        return new GetOrSetEntry.Vacant<>(new KeyVacancy(k, entry));
      }
      // the fill this caller waited for failed, and another has the key: no rendezvous this time
      entry.close();
      return new GetOrSetEntry.Vacant<>(new KeyVacancy(k, null));
    }, core.executor());
  }

  /** A vacancy: the owner's entry of the key, or, without one, a write that holds no lock. */
  private final class KeyVacancy implements GetOrSetEntry.Vacancy<V> {
    private final CacheKey key;
    private final CacheEntry owner;
    /** Snapshotted when the vacancy was given: a delete since makes its value never kept. */
    private final long seen;
    private boolean done;

    KeyVacancy(CacheKey key, CacheEntry owner) {
      this.key = key;
      this.owner = owner;
      this.seen = core.generation(key);
    }

    @Override
    public synchronized void fill(V value, Duration ttl) {
      if (done) {
        throw new IllegalStateException("the vacancy of this key was filled or closed already");
      }
      checkTtl(ttl);
      byte[] bytes = encode(value);
      done = true;
      try {
        writeAsOwner(key, owner, seen, ttl, bytes);
      } finally {
        if (owner != null) {
          owner.close();
        }
      }
    }

    @Override
    public void fill(V value) {
      fill(value, defaultTtl());
    }

    @Override
    public synchronized void close() {
      if (!done) {
        done = true;
        if (owner != null) {
          owner.close(); // the next waiter gets the vacancy, or every one goes on its own
        }
      }
    }
  }

  private byte[] encode(V value) {
    Objects.requireNonNull(value, "value must not be null");
    return Objects.requireNonNull(codec.encode(value), "codec encoded a value as null");
  }

  private static WriteOptions options(Duration ttl, int length) {
    return WriteOptions.builder(ttl).length(length).build();
  }

  /** Writes a value; a store that fails loses the write, as a cache may (WASI keyvalue cache). */
  private static void write(BodySink sink, byte[] bytes) {
    try (sink) {
      sink.write(bytes);
    } catch (IOException ignored) {
      // not stored: the next get misses
    }
  }

  @Override
  public boolean delete(String key) {
    return core.cache().purge(keyOf(key));
  }

  @Override
  public V getOrSet(String key, Duration ttl, Callable<? extends V> loader) {
    try {
      return getOrSetAsync(key, ttl, loader).toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new LoaderException("the loader of " + key + " failed", cause);
    }
  }

  @Override
  public CompletionStage<V> getOrSetAsync(String key, Duration ttl, Callable<? extends V> loader) {
    CacheKey k = keyOf(key);
    checkTtl(ttl);
    Objects.requireNonNull(loader, "loader must not be null");
    Optional<V> hit = get(key);
    if (hit.isPresent()) {
      return CompletableFuture.completedFuture(hit.get());
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = loads.putIfAbsent(key, mine);
    if (running != null) {
      return running.copy();
    }
    // the loader runs on the cache's executor, never on the caller's thread: the stage comes back first
    core.cache().transactionLookupAsync(k, LookupOptions.DEFAULT).whenCompleteAsync((entry, failure) -> {
      if (failure != null) {
        settle(key, mine, null, failure);
        return;
      }
      try (entry) {
        settle(key, mine, load(k, entry, ttl, loader), null);
      } catch (Throwable t) {
        settle(key, mine, null, t);
      }
    }, core.executor());
    return mine.copy();
  }

  /** Ends a load: the next call after this one starts afresh, whatever the outcome. */
  private void settle(String key, CompletableFuture<V> load, V value, Throwable failure) {
    loads.remove(key, load);
    if (failure == null) {
      load.complete(value);
    } else {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      load.completeExceptionally(cause);
    }
  }

  private V load(CacheKey k, CacheEntry entry, Duration ttl, Callable<? extends V> loader) throws Exception {
    if (entry.has(LookupState.USABLE) && !entry.has(LookupState.STALE)) {
      Optional<V> v = decode(k, entry);
      if (v.isPresent()) {
        return v.get();
      }
    }
    if (!entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
      if (entry.has(LookupState.USABLE)) {
        throw new UncheckedIOException(new IOException("the fill of this value by another caller failed"));
      }
    }
    // Snapshotted before the load: a value loaded before a delete must not outlive it, even
    // when the load outlives the lock and is written without it.
    long seen = core.generation(k);
    V value = loader.call();
    writeAsOwner(k, entry.has(LookupState.MUST_INSERT_OR_UPDATE) ? entry : null, seen, ttl, encode(value));
    return value;
  }

  /**
   * Writes a value made by the owner of {@code k} ({@code owner}; null if it held no lock),
   * through its entry while it still owns the key. One that lost the lock (it ran past the lock
   * timeout and the key was given up) is stored all the same, unless a delete came since
   * {@code seen} was taken: its generation moved on, and the value made before it is not kept.
   */
  private void writeAsOwner(CacheKey k, CacheEntry owner, long seen, Duration ttl, byte[] bytes) {
    BodySink sink = null;
    if (owner != null) {
      try {
        sink = owner.insert(options(ttl, bytes.length));
      } catch (CacheStateException lost) {
        // written without the lock below
      }
    }
    if (sink == null && seen >= 0) {
      sink = core.insertAtGeneration(k, options(ttl, bytes.length), seen);
    }
    if (sink != null) {
      write(sink, bytes);
    }
  }

  @Override
  public long generation(String key) {
    return core.generation(keyOf(key));
  }

  @Override
  public boolean setIfGeneration(String key, V value, long observedGeneration, Duration ttl) {
    CacheKey k = keyOf(key);
    byte[] bytes = encode(value);
    checkTtl(ttl);
    if (observedGeneration < 0 || core.generation(k) != observedGeneration) {
      return false;
    }
    // Stamped with the observed generation: if a delete bumps it from here on, the value is
    // never served, whatever the order of the two.
    write(core.insertAtGeneration(k, options(ttl, bytes.length), observedGeneration), bytes);
    return core.generation(k) == observedGeneration;
  }

  @Override
  public Map<String, Long> generations(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    Map<String, Long> out = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      out.put(key, generation(key));
    }
    return out;
  }

  @Override
  public boolean setAllIfGenerations(Map<String, V> items, Map<String, Long> observedGenerations, Duration ttl) {
    Objects.requireNonNull(items, "items must not be null");
    Objects.requireNonNull(observedGenerations, "observedGenerations must not be null");
    checkTtl(ttl);
    List<String> missing = new ArrayList<>();
    Map<String, byte[]> encoded = new LinkedHashMap<>();
    for (Map.Entry<String, V> item : items.entrySet()) {
      keyOf(item.getKey());
      encoded.put(item.getKey(), encode(item.getValue()));
      if (!observedGenerations.containsKey(item.getKey())) {
        missing.add(item.getKey());
      }
    }
    if (!missing.isEmpty()) {
      rejected(items.size(), BulkRejectReason.MISSING_OBSERVED_GENERATION);
      throw new MissingGenerationsException(missing);
    }
    Map<String, Long> now = generations(items.keySet());
    for (String key : items.keySet()) {
      long observed = observedGenerations.get(key);
      long current = now.get(key);
      if (current < 0) {
        rejected(items.size(), BulkRejectReason.GENERATION_SNAPSHOT_ERROR);
        return false;
      }
      if (observed < 0 || current != observed) {
        rejected(items.size(), BulkRejectReason.GENERATION_MISMATCH);
        return false;
      }
    }
    // Each member is stamped with its observed generation: a delete of one from here on keeps
    // that one from being served, whatever the order of the two.
    for (Map.Entry<String, byte[]> item : encoded.entrySet()) {
      CacheKey k = keyOf(item.getKey());
      write(core.insertAtGeneration(k, options(ttl, item.getValue().length), observedGenerations.get(item.getKey())),
          item.getValue());
    }
    return generations(items.keySet()).equals(now);
  }

  @Override
  public BulkRead<V> getBulk(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    Set<String> unique = new LinkedHashSet<>(keys);
    Map<String, Long> before = generations(unique);
    if (before.containsValue(-1L)) {
      rejected(unique.size(), BulkRejectReason.GENERATION_SNAPSHOT_ERROR);
      return new BulkRead<>(Map.of(), List.copyOf(unique), Optional.of(BulkRejectReason.GENERATION_SNAPSHOT_ERROR));
    }
    Map<String, V> values = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    BulkRejectReason reason = null;
    for (String key : unique) {
      Optional<V> v = get(key);
      if (v.isPresent()) {
        values.put(key, v.get());
      } else {
        missing.add(key);
      }
    }
    Map<String, Long> after = generations(unique);
    for (String key : unique) {
      if (!before.get(key).equals(after.get(key))) {
        // moved while read: what was read of it may predate a delete
        if (values.remove(key) != null) {
          missing.add(key);
        }
        reason = BulkRejectReason.INVALID_OR_STALE;
      }
    }
    if (reason != null) {
      rejected(unique.size(), reason);
    }
    return new BulkRead<>(values, missing, Optional.ofNullable(reason));
  }

  private void rejected(int requested, BulkRejectReason reason) {
    GuardedStorage.notify(() -> core.listener().bulkRejected(namespace, requested, reason));
  }

  @Override
  public Map<String, V> getAll(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    Map<String, V> out = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      long before = generation(key);
      Optional<V> v = get(key);
      if (v.isPresent() && before >= 0 && generation(key) == before) {
        out.put(key, v.get());
      }
    }
    return out;
  }

  @Override
  public CompletionStage<Optional<V>> getAsync(String key) {
    return now(() -> get(key));
  }

  @Override
  public CompletionStage<Boolean> existsAsync(String key) {
    return now(() -> exists(key));
  }

  @Override
  public CompletionStage<Void> setAsync(String key, V value, Duration ttl) {
    return now(() -> {
      set(key, value, ttl);
      return null;
    });
  }

  @Override
  public CompletionStage<Boolean> deleteAsync(String key) {
    return now(() -> delete(key));
  }

  @Override
  public CompletionStage<Boolean> setIfGenerationAsync(
      String key, V value, long observedGeneration, Duration ttl) {
    return now(() -> setIfGeneration(key, value, observedGeneration, ttl));
  }

  @Override
  public CompletionStage<Map<String, V>> getAllAsync(Collection<String> keys) {
    return now(() -> getAll(keys));
  }

  /** Operations that never wait for another caller complete on the caller's thread. */
  private static <T> CompletionStage<T> now(java.util.function.Supplier<T> op) {
    try {
      return CompletableFuture.completedFuture(op.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
