package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.ByteRanges;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.Conditional;
import dev.edgecache.http.PartialContent;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoragePlan;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Partial content (RFC 9111 §3.3): a range of something not stored at all is asked of the origin
 * as the client asked it ({@code FetchPlan.forwardsRange}), and the origin's {@code 206} is kept
 * under the URL's partial key ({@link RequestKey#partialKey}), beside the whole object's key;
 * a later request for a range within it is answered from it. A whole object, once stored, answers
 * every range itself and is looked up first.
 *
 * <p>The partial key is another key, not a variant of the URL's: a range is not the object the
 * URL's waiters wait for. So a fill that turns out to be partial gives the URL's key up to the next
 * waiter, and the ranges of one URL are not collapsed into one origin request. Purges of the URL,
 * and the invalidation by unsafe methods, remove both keys; tags and scopes reach partial content
 * as any object. Ranges are not combined (RFC 9111 §3.4 allows it): a new range replaces the one
 * kept.
 */
final class PartialResponses {
  private PartialResponses() {}

  /**
   * Answers {@code req}, a GET for one range whose lookup of the URL found nothing, from the fresh
   * partial content stored for the URL, if it holds the range and the request's {@code If-Range}
   * holds; then gives up {@code entry}, the URL's key, to its next waiter. False, with nothing
   * done, when it cannot.
   */
  static boolean serve(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, RequestKey key,
      CacheEntry entry) throws IOException {
    String range = req.getHeader("Range");
    if (!"GET".equals(req.getMethod()) || !ByteRanges.single(range)) {
      return false;
    }
    LookupOptions options = LookupOptions.builder().requestHeaders(rt.keys.varyFields(req, key)).build();
    Optional<CacheEntry> found;
    try {
      found = rt.cache.lookup(key.partialKey(), options);
    } catch (IllegalArgumentException tooLong) {
      return false;
    }
    if (found.isEmpty()) {
      return false;
    }
    try (CacheEntry partial = found.get()) {
      if (!partial.has(LookupState.USABLE) || partial.has(LookupState.STALE)) {
        return false; // a stale range is fetched anew, as the client asked it
      }
      Optional<StoredHead> head = rt.head(partial);
      Optional<PartialContent> held = head.flatMap(PartialContent::of);
      if (held.isEmpty() || !held.get().describes(partial.length().orElse(-1)) || held.get().answers(range).isEmpty()
          || !Conditional.ifRangeHolds(req.getHeader("If-Range"), head.get().first("etag"),
              head.get().first("last-modified"))) {
        return false;
      }
      entry.cancel(); // the URL's key: its next waiter owns it
      CacheStatus s = rt.served(req, key, partial, false);
      CachedResponses.serve(req, res, partial, head.get(), s, 1, rt.cache.clock().millis(), rt.stats.bytesFromCache);
      return true;
    }
  }

  /**
   * Opens the write of a 206 that answered the client's forwarded range, under the URL's partial
   * key; gives up {@code entry}, the URL's key, in any case. The sink, or null if the 206 does not
   * say which range of what length it holds, declares a length that is not that range's, or the
   * store refuses it.
   *
   * @param declaredLength the response's {@code Content-Length}, or null
   */
  static BodySink open(FilterRuntime rt, RequestKey key, CacheEntry entry, StoragePlan storage,
      java.util.List<String> scopes, String declaredLength) {
    entry.cancel(); // a range is not the object the URL's waiters wait for: the next one owns the key
    Optional<PartialContent> held = PartialContent.of(storage.head());
    if (held.isEmpty() || (declaredLength != null && !declaredLength.trim().equals(Long.toString(held.get().length())))) {
      return null;
    }
    WriteOptions options = storage.options().toBuilder().purgeScopes(scopes).build();
    BodySink sink;
    try {
      sink = rt.cache.insert(key.partialKey(), options);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return null;
    }
    if (!sink.stores()) {
      sink.abort();
      return null;
    }
    return sink;
  }
}
