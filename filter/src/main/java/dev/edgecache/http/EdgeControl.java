package dev.edgecache.http;

import java.util.List;

/**
 * Which directives this cache obeys. A field aimed at caches like this one takes precedence over
 * {@code Cache-Control}: {@code Surrogate-Control} first, then {@code CDN-Cache-Control}
 * (RFC 9213 §2.1: a cache that uses a targeted field ignores {@code Cache-Control}).
 * {@code Surrogate-Control} and {@code Surrogate-Key} are this cache's own and are stripped before
 * a response reaches the client. {@code CDN-Cache-Control} targets every CDN on the path, and a
 * deployment often has another one in front of this cache, so it is obeyed and passed on. Pure.
 */
public final class EdgeControl {
  /** Fields meant for this cache only, never forwarded to clients. */
  public static final List<String> EDGE_ONLY_FIELDS =
      List.of("surrogate-control", "surrogate-key");

  private EdgeControl() {}

  /**
   * The directives this cache follows: {@code Surrogate-Control} if present, else
   * {@code CDN-Cache-Control} if present and a valid Structured Field Dictionary, else
   * {@code Cache-Control}. An invalid {@code CDN-Cache-Control} is ignored as a whole (RFC 9213
   * §2.1 defines it as a Dictionary; RFC 8941 §4.2 fails the whole field).
   */
  public static CacheControl effective(List<String> surrogateControl, List<String> cdnCacheControl,
      List<String> cacheControl) {
    if (!surrogateControl.isEmpty()) {
      return CacheControl.parse(surrogateControl);
    }
    if (usable(cdnCacheControl)) {
      return CacheControl.parse(cdnCacheControl);
    }
    return CacheControl.parse(cacheControl);
  }

  /** Whether the effective directives came from a field aimed at this cache. */
  public static boolean targeted(List<String> surrogateControl, List<String> cdnCacheControl) {
    return !surrogateControl.isEmpty() || usable(cdnCacheControl);
  }

  private static boolean usable(List<String> cdnCacheControl) {
    return !cdnCacheControl.isEmpty() && StructuredDictionary.isValid(cdnCacheControl);
  }
}
