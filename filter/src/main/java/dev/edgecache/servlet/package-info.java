/**
 * The servlet glue: {@link dev.edgecache.servlet.EdgeCacheFilter}, the response wrapper that tees
 * an origin's response into the cache, serving stored responses, the admin path and the filter's
 * configuration. Talks to the core cache API and the HTTP policy only.
 */
package dev.edgecache.servlet;
