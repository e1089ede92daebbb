package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import dev.edgecache.LookupState;
import dev.edgecache.http.CacheControl;

/**
 * What one GET or HEAD does once its lookup is done: computed once from the entry's states and
 * the request's directives, then switched on (as OkHttp's cache strategy is).
 */
enum Route {
  /** A usable object, fresh or stale: served from the cache. */
  SERVE,
  /**
   * A stale object this request may serve and must refresh (RFC 5861 §3): served, then the
   * origin is asked in the background, its answer going to the cache only.
   */
  SERVE_THEN_REFRESH,
  /** Nothing usable, and the client said {@code only-if-cached} (RFC 9111 §5.2.1.7): 504. */
  ONLY_IF_CACHED,
  /**
   * Nothing usable, and nothing of the origin's response may be stored: the request does not own
   * the key (a hit-for-miss marker, or a waiter released to go on its own), or it said {@code
   * no-store}.
   */
  PASS,
  /** This request owns the key: it fills it from the origin. */
  FILL;

  /** The route for a request whose lookup gave {@code entry}. */
  static Route of(CacheEntry entry, CacheControl requestCc) {
    if (entry.has(LookupState.USABLE)) {
      return entry.has(LookupState.MUST_INSERT_OR_UPDATE) ? SERVE_THEN_REFRESH : SERVE;
    }
    if (requestCc.onlyIfCached()) {
      return ONLY_IF_CACHED;
    }
    if (!entry.has(LookupState.MUST_INSERT_OR_UPDATE) || requestCc.noStore()) {
      return PASS;
    }
    return FILL;
  }
}
