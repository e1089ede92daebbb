package dev.edgecache.cdi;

/**
 * A CDI event for what the cache did with one request or call. Fired only when the application
 * has an observer of this type; without one, nothing is fired and nothing is spent.
 *
 * @param key the cache key, as text
 * @param outcome what happened
 */
public record CacheOutcome(String key, Outcome outcome) {
  /** What the cache did. */
  public enum Outcome {
    /** Served from the cache, fresh. */
    HIT,
    /** Not in the cache (or not usable): the origin was asked. */
    MISS,
    /** Served stale, while one request revalidates. */
    STALE,
    /** Waited for another request's fill of the same key, and streamed it. */
    COLLAPSED,
    /** The origin failed and a stale object was served instead (stale-if-error). */
    STALE_IF_ERROR
  }
}
