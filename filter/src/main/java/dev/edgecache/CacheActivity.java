package dev.edgecache;

/**
 * What the cache is doing at one moment, in this process ({@link EdgeCache#activity}).
 *
 * @param keysInFlight keys that a caller owns to fill or revalidate
 * @param fills of those, the ones whose object is being written now
 * @param waiters lookups queued behind an owner, waiting for its object or its turn
 */
public record CacheActivity(int keysInFlight, int fills, int waiters) {}
