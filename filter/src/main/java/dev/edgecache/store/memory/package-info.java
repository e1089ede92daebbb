/** The in-memory store: bounded in bytes, least-recently-used eviction, streaming partial writes. */
package dev.edgecache.store.memory;
