/** The in-memory store: bounded in bytes, near least-recently-used eviction ({@code EvictionOrder}), streaming partial writes. */
package dev.edgecache.store.memory;
