package dev.edgecache.servlet;

import dev.edgecache.BodyFeed;
import dev.edgecache.BodyRange;
import dev.edgecache.CacheEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Waits for the end of an object another request is still writing, reading its body without
 * sending it: for a HEAD collapsed behind a fill. A GET that follows a fill learns of a failure
 * midway by its broken body; a HEAD has no body to break, so it gets its head only once the fill
 * has committed, and a fill that fails sends it to the origin like any request that finds
 * nothing.
 */
final class FillEnd {
  private FillEnd() {}

  /**
   * Calls {@code then} with null once the object has ended whole, or with the failure; on the
   * feed's thread, without holding one while it waits.
   */
  static void whenEnded(CacheEntry entry, Consumer<IOException> then) {
    BodyFeed feed = entry.bodyFeed(BodyRange.all());
    drain(feed, then);
  }

  private static void drain(BodyFeed feed, Consumer<IOException> then) {
    try {
      while (true) {
        ByteBuffer next = feed.poll();
        if (next == null) {
          feed.close();
          then.accept(null);
          return;
        }
        if (!next.hasRemaining()) {
          feed.whenReady(() -> drain(feed, then));
          return;
        }
      }
    } catch (IOException failed) {
      feed.close();
      then.accept(failed);
    }
  }

  /** Blocks until the object has ended; throws its failure. */
  static void await(CacheEntry entry) throws IOException {
    try (InputStream body = entry.body(BodyRange.all())) {
      body.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
