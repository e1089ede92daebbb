package dev.edgecache.store.ehcache;

import org.ehcache.Cache;

/**
 * The store's caches, as a write needs them; each is a breaker's guard, which follows the
 * CacheManager when it is replaced.
 *
 * @param locks the lock cache, which also holds the progress records of writes in progress
 */
record StoreCaches(Cache<String, Blob> objects, Cache<String, Blob> chunks, Cache<String, Blob> volatileObjects,
    Cache<String, Blob> volatileChunks, Cache<String, Blob> locks, CasSets index) {}
