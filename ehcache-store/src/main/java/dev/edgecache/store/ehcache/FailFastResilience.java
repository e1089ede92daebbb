package dev.edgecache.store.ehcache;

import dev.edgecache.spi.StorageException;
import java.util.Map;
import org.ehcache.Cache;
import org.ehcache.spi.resilience.ResilienceStrategy;
import org.ehcache.spi.resilience.StoreAccessException;

/**
 * A resilience strategy that reports every store failure instead of hiding it. Ehcache's default
 * answers as an empty cache would, and so answers {@code putIfAbsent} with null when the cluster
 * is unreachable, which looks like a granted lock (THREATS 32, ehcache3 resilience docs). Here the
 * caller gets a {@link StorageException}: the core then treats the store as unavailable (misses,
 * skipped writes, collapsing inside the JVM) until it answers again.
 */
final class FailFastResilience implements ResilienceStrategy<String, Blob> {
  private static StorageException fail(StoreAccessException e) {
    return new StorageException("the clustered tier is unavailable: " + e.getMessage(), e);
  }

  @Override
  public Blob getFailure(String key, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public boolean containsKeyFailure(String key, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public void putFailure(String key, Blob value, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public void removeFailure(String key, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public void clearFailure(StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public Cache.Entry<String, Blob> iteratorFailure(StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public Blob putIfAbsentFailure(String key, Blob value, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public boolean removeFailure(String key, Blob value, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public Blob replaceFailure(String key, Blob value, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public boolean replaceFailure(String key, Blob value, Blob newValue, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public Map<String, Blob> getAllFailure(Iterable<? extends String> keys, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public void putAllFailure(Map<? extends String, ? extends Blob> entries, StoreAccessException e) {
    throw fail(e);
  }

  @Override
  public void removeAllFailure(Iterable<? extends String> keys, StoreAccessException e) {
    throw fail(e);
  }
}
