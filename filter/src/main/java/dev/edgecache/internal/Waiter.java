package dev.edgecache.internal;

import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.LookupOptions;
import dev.edgecache.ReplaceEntry;
import java.util.concurrent.CompletableFuture;

/**
 * A caller waiting for a key: a transaction lookup, which takes a usable object, a streaming
 * write or the ownership of the key, or a replacement with {@code WAIT}, which takes only the
 * ownership.
 */
final class Waiter {
  final CacheKey key;
  final LookupOptions options;
  /** Completed with the entry of a transaction lookup; null for a replacement. */
  final CompletableFuture<CacheEntry> entry;
  /** Completed with the replace entry of a replacement; null for a lookup. */
  final CompletableFuture<ReplaceEntry> replace;
  /**
   * Whether the caller may have chained stages on {@link #entry}: set once the async lookup has
   * returned its stage. From then on the entry is completed on the cache's executor, never on
   * the thread that releases it (an owner inside {@code insert}, which a stage that reads the
   * body would otherwise block for good). Before that, completing inline runs nobody's code.
   */
  volatile boolean async;
  /** When a queued lookup stops waiting; null while not queued. */
  volatile java.util.concurrent.Future<?> deadline;

  private Waiter(CacheKey key, LookupOptions options, CompletableFuture<CacheEntry> entry,
      CompletableFuture<ReplaceEntry> replace) {
    this.key = key;
    this.options = options;
    this.entry = entry;
    this.replace = replace;
  }

  static Waiter lookup(CacheKey key, LookupOptions options) {
    return new Waiter(key, options, new CompletableFuture<>(), null);
  }

  static Waiter replacement(CacheKey key, LookupOptions options) {
    return new Waiter(key, options, null, new CompletableFuture<>());
  }

  /** Whether this waiter takes a found or streaming object; a replacement wants ownership only. */
  boolean takesStream() {
    return entry != null;
  }

  boolean isDone() {
    return entry != null ? entry.isDone() : replace.isDone();
  }

  void cancelDeadline() {
    java.util.concurrent.Future<?> d = deadline;
    if (d != null) {
      d.cancel(false);
    }
  }

  void fail(Throwable t) {
    cancelDeadline();
    if (entry != null) {
      entry.completeExceptionally(t);
    } else {
      replace.completeExceptionally(t);
    }
  }
}
