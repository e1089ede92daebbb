package dev.edgecache.servlet;

/** What the filter did with one request, as its {@code Cache-Status} field tells it. */
public enum RequestOutcome {
  /** Served from the cache, fresh. */
  HIT,
  /** Not in the cache, or not usable: this request went to the origin and filled the key. */
  MISS,
  /** Served stale while it is revalidated (RFC 5861 §3). */
  STALE,
  /** A stale object revalidated with the origin (a 304) and served (RFC 9111 §4.3.3). */
  REVALIDATED,
  /** Waited for another request's fill of the same key, and streamed it. */
  COLLAPSED,
  /** The origin failed and a stale object was served instead (RFC 5861 §4). */
  STALE_IF_ERROR,
  /** Not cacheable (an unsafe method, {@code no-store}, an unusable key): passed to the origin. */
  PASS
}
