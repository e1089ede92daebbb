package dev.edgecache.store.ehcache;

import dev.edgecache.spi.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.ehcache.Cache;

/**
 * A circuit breaker in front of the caches: once an operation fails (an unreachable or slow
 * clustered tier), every operation fails at once for a cool-off period instead of waiting out its
 * own timeout, so that requests keep a bounded latency while the cache is down (THREATS 34, 36).
 * After the period the next operation tries the tier again; success closes the breaker.
 */
final class Breaker {
  /** Methods that never reach the tier. */
  private static final Set<String> LOCAL = Set.of("getRuntimeConfiguration", "toString", "hashCode", "equals");

  private final long coolOffMillis;
  private volatile long openUntil;

  Breaker(long coolOffMillis) {
    this.coolOffMillis = coolOffMillis;
  }

  /** Whether the breaker is open now: the tier counts as unavailable. */
  boolean open() {
    return System.currentTimeMillis() < openUntil;
  }

  @SuppressWarnings("unchecked")
  Cache<String, Blob> guard(String name, Cache<String, Blob> cache) {
    return (Cache<String, Blob>) Proxy.newProxyInstance(Cache.class.getClassLoader(),
        new Class<?>[] {Cache.class}, (proxy, method, args) -> {
          if (LOCAL.contains(method.getName())) {
            return method.invoke(cache, args);
          }
          if (open()) {
            throw new StorageException("the cache tier is unavailable; retrying after a cool-off");
          }
          try {
            return method.invoke(cache, args);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
              openUntil = System.currentTimeMillis() + coolOffMillis;
              throw cause instanceof StorageException se ? se
                  : new StorageException("cache " + name + " failed: " + cause.getMessage(), cause);
            }
            throw cause;
          }
        });
  }
}
