package dev.edgecache.spi;

import java.io.IOException;

/**
 * An object found by a lookup: its metadata and a way to read its body. It may be complete, or a
 * streaming write still in progress ({@link CacheStorage#lookupStreamingWrite}).
 */
public interface StoredObject {
  /** The object's metadata as it was when the lookup ran. */
  ObjectMeta meta();

  /**
   * The write that made this object, as the store numbered it: two objects found under one key
   * are the same object exactly when their write ids are equal. A body keeps its write id for as
   * long as it is stored; {@link CacheStorage#updateMeta} names the object it changes by it.
   */
  long writeId();

  /** False while the object is a streaming write that has not finished. */
  boolean complete();

  /** The number of hits counted for this object so far. */
  long hits();

  /** Counts one hit (pingora's "count the access") and returns the new count. */
  long recordHit();

  /**
   * Opens a reader of the body. Each call gives an independent reader positioned at byte 0.
   *
   * @throws IOException if the body is no longer there (evicted, or the write failed)
   */
  HitHandler openBody() throws IOException;
}
