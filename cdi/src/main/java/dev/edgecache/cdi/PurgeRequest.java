package dev.edgecache.cdi;

import dev.edgecache.CacheKey;
import java.util.Objects;

/**
 * A CDI event that purges the application's {@code EdgeCache}: fire one with
 * {@code @Inject Event<PurgeRequest>} and the cache purges before {@code fire} returns.
 *
 * @param key the key to purge, or null
 * @param surrogateKey the surrogate key whose keys to purge, or null
 * @param soft mark stale instead of removing
 */
public record PurgeRequest(CacheKey key, String surrogateKey, boolean soft) {
  public PurgeRequest {
    if ((key == null) == (surrogateKey == null)) {
      throw new IllegalArgumentException("a purge request names either a key or a surrogate key");
    }
  }

  /** Purges one key (every variant of it). */
  public static PurgeRequest key(CacheKey key) {
    return new PurgeRequest(Objects.requireNonNull(key, "key"), null, false);
  }

  /** Purges every key tagged with {@code surrogateKey}. */
  public static PurgeRequest surrogateKey(String surrogateKey) {
    return new PurgeRequest(null, Objects.requireNonNull(surrogateKey, "surrogateKey"), false);
  }

  /** The same purge, soft: objects are marked stale rather than removed. */
  public PurgeRequest asSoft() {
    return new PurgeRequest(key, surrogateKey, true);
  }
}
