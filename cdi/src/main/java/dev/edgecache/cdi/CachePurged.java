package dev.edgecache.cdi;

/**
 * A CDI event fired after a purge of the application's {@code EdgeCache}, however it was asked
 * for (HTTP admin path, {@code @Inject EdgeCache}, a {@link PurgeRequest} event). Observed with
 * {@code @Observes} or {@code @ObservesAsync}.
 *
 * @param kind what was purged
 * @param target the key, surrogate key or purge scope purged, as text
 * @param soft whether the purge marked objects stale instead of removing them
 */
public record CachePurged(Kind kind, String target, boolean soft) {
  /** What a purge targeted. */
  public enum Kind {
    /** One key. */
    KEY,
    /** Every key tagged with a surrogate key. */
    SURROGATE_KEY,
    /** Every object in a purge scope: a host, a path prefix. */
    SCOPE
  }
}
