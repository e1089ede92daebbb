package dev.edgecache;

/**
 * The result of {@link CacheEntry#insertAndStreamBack}: the sink to write the body to, and an entry
 * that reads the same bytes back as they are written.
 *
 * @param body the sink; closing it commits the object
 * @param entry an entry on the object being written
 */
public record Insertion(BodySink body, CacheEntry entry) {}
