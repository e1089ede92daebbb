package dev.edgecache.cdi;

import dev.edgecache.CacheKey;
import dev.edgecache.http.PurgeScopes;
import java.util.Objects;

/**
 * A CDI event that purges the application's {@code EdgeCache}: fire one with
 * {@code @Inject Event<PurgeRequest>} and the cache purges before {@code fire} returns (on a
 * cluster, every node misses from then on).
 *
 * @param key the key to purge, or null
 * @param surrogateKey the surrogate key whose keys to purge, or null
 * @param scope the purge scope to purge (a host, a path prefix: {@link #host}, {@link #prefix}), or null
 * @param soft mark stale instead of removing
 */
public record PurgeRequest(CacheKey key, String surrogateKey, String scope, boolean soft) {
  public PurgeRequest {
    int named = (key == null ? 0 : 1) + (surrogateKey == null ? 0 : 1) + (scope == null ? 0 : 1);
    if (named != 1) {
      throw new IllegalArgumentException("a purge request names one key, surrogate key or scope");
    }
  }

  /** Purges one key (every variant of it). */
  public static PurgeRequest key(CacheKey key) {
    return new PurgeRequest(Objects.requireNonNull(key, "key"), null, null, false);
  }

  /** Purges every key tagged with {@code surrogateKey}. */
  public static PurgeRequest surrogateKey(String surrogateKey) {
    return new PurgeRequest(null, Objects.requireNonNull(surrogateKey, "surrogateKey"), null, false);
  }

  /** Purges every object in a purge scope of the core API ({@code WriteOptions.Builder.purgeScopes}). */
  public static PurgeRequest scope(String scope) {
    return new PurgeRequest(null, null, Objects.requireNonNull(scope, "scope"), false);
  }

  /** Purges every HTTP object the filter stored for {@code host}, on any scheme and port. */
  public static PurgeRequest host(String host) {
    return scope(PurgeScopes.host(Objects.requireNonNull(host, "host")));
  }

  /**
   * Purges every HTTP object the filter stored for {@code host} at {@code path} or under it
   * ({@code /blog} covers {@code /blog/2026/post}, never {@code /blogroll}).
   *
   * @throws IllegalArgumentException if the path does not start with {@code /}
   */
  public static PurgeRequest prefix(String host, String path) {
    return scope(PurgeScopes.prefix(Objects.requireNonNull(host, "host"), Objects.requireNonNull(path, "path")));
  }

  /** The same purge, soft: objects are marked stale rather than removed. */
  public PurgeRequest asSoft() {
    return new PurgeRequest(key, surrogateKey, scope, true);
  }
}
