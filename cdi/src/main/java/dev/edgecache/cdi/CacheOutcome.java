package dev.edgecache.cdi;

import dev.edgecache.servlet.RequestOutcome;

/**
 * A CDI event for what the filter did with one request: fired once per request through the
 * filter, synchronously to {@code @Observes} observers and asynchronously to
 * {@code @ObservesAsync} ones. Fired only when the application has an observer of this type;
 * without one, the filter is not even told.
 *
 * @param key the request's cache key, as text
 * @param outcome what the filter did: hit, miss, stale, revalidated, collapsed, stale-if-error
 *     or pass
 */
public record CacheOutcome(String key, RequestOutcome outcome) {}
