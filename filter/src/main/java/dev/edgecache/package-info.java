/**
 * The core cache API, a Java rendering of Fastly's Core Cache: {@link dev.edgecache.EdgeCache}
 * with transaction lookups that collapse concurrent requests for a key, inserts that waiters
 * stream as they are written, revalidation by update, replacement, and purges by key, surrogate
 * key or everything; {@link dev.edgecache.CacheEntry} for the outcome of a lookup; immutable
 * option types with builders.
 *
 * <p>The API knows nothing of HTTP beyond the request headers a vary rule reads; the HTTP
 * caching policy and the servlet filter sit on top of it.
 */
package dev.edgecache;
