/**
 * The storage SPI, modelled on pingora-cache's {@code Storage}: complete objects and streaming
 * writes, key locks with leases, generation counters and a surrogate-key index. The core API
 * reaches storage only through {@link dev.edgecache.spi.CacheStorage}, so stores can be swapped
 * without touching it.
 */
package dev.edgecache.spi;
