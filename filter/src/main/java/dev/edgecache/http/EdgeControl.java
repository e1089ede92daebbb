package dev.edgecache.http;

import java.util.List;

/**
 * Which directives this cache obeys. A field aimed at caches like this one takes precedence over
 * {@code Cache-Control}: {@code Surrogate-Control} first, then {@code CDN-Cache-Control}
 * (RFC 9213 §2.1: a cache that uses a targeted field ignores {@code Cache-Control}). Both are
 * stripped before a response reaches the client, as is {@code Surrogate-Key}. Pure.
 */
public final class EdgeControl {
  /** Fields meant for this cache only, never forwarded to clients. */
  public static final List<String> EDGE_ONLY_FIELDS =
      List.of("surrogate-control", "cdn-cache-control", "surrogate-key");

  private EdgeControl() {}

  /**
   * The directives this cache follows: {@code Surrogate-Control} if present, else
   * {@code CDN-Cache-Control} if present, else {@code Cache-Control}.
   */
  public static CacheControl effective(List<String> surrogateControl, List<String> cdnCacheControl,
      List<String> cacheControl) {
    if (!surrogateControl.isEmpty()) {
      return CacheControl.parse(surrogateControl);
    }
    if (!cdnCacheControl.isEmpty()) {
      return CacheControl.parse(cdnCacheControl);
    }
    return CacheControl.parse(cacheControl);
  }

  /** Whether the effective directives came from a field aimed at this cache. */
  public static boolean targeted(List<String> surrogateControl, List<String> cdnCacheControl) {
    return !surrogateControl.isEmpty() || !cdnCacheControl.isEmpty();
  }
}
