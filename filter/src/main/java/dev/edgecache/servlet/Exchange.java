package dev.edgecache.servlet;

import static dev.edgecache.servlet.CachedResponses.list;

import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.http.CacheControl;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One GET or HEAD through the cache: its key is looked up (the request suspended, holding no
 * thread, while another request fills the key), then the lookup's {@link Route} is switched on,
 * and each route's work is a class of its own: serving from the cache ({@link CachedResponses}),
 * a pass ({@link PassThrough}), a fill or a refresh ({@link OriginFetch}).
 */
final class Exchange {
  private static final Logger LOG = Logger.getLogger(Exchange.class.getName());

  private final FilterRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse res;
  private final FilterChain chain;
  private final RequestKey key;
  private final CacheControl requestCc;

  Exchange(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, FilterChain chain) {
    this.rt = rt;
    this.req = req;
    this.res = res;
    this.chain = chain;
    this.key = rt.keys.keyOf(req);
    this.requestCc = CacheControl.forRequest(list(req.getHeaders("Cache-Control")), list(req.getHeaders("Pragma")));
  }

  /** Looks the key up, and handles what the lookup gives, now or once it is done. */
  void run() throws IOException, ServletException {
    CacheKey cacheKey = key.cacheKey(); // encoded once: the lookup's, and admission's count
    rt.admission.asked(cacheKey);
    LookupOptions options = LookupOptions.builder().requestHeaders(rt.keys.varyFields(req, key)).build();
    CacheEntry entry;
    try {
      if (req.isAsyncSupported()) {
        // the lookup on this request thread; only a wait for another's fill holds none
        CompletableFuture<CacheEntry> lookup = rt.cache.transactionLookupNowOrLater(cacheKey, options)
            .toCompletableFuture();
        if (!lookup.isDone()) {
          new SuspendedLookup(rt, req, res, key).suspend(lookup);
          return;
        }
        entry = joined(lookup);
      } else {
        // the chain cannot go async: the wait blocks this thread, for the lock timeout at most
        long before = rt.cache.clock().millis();
        entry = rt.cache.transactionLookup(cacheKey, options);
        if (entry.collapsed()) {
          RequestSpan.of(req).waitedForLock(rt.cache.clock().millis() - before);
        }
      }
    } catch (IllegalArgumentException tooLong) {
      pass(CacheStatus.Forward.BYPASS, "key too long");
      return;
    }
    handle(entry);
  }

  /** The entry of a lookup that is done, its failure thrown as it was. */
  private static CacheEntry joined(CompletableFuture<CacheEntry> lookup) {
    try {
      return lookup.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /** A suspended request dispatched back to the filter does what its lookup decided. */
  void resume(Resumption resumed) throws IOException, ServletException {
    switch (resumed.action()) {
      case HANDLE -> handle(resumed.entry());
      case PASS -> passInsteadOfCache(resumed.passForward(), resumed.passDetail());
      case ABORT -> {
        ConnectionBreaker.breakOff(res);
        throw resumed.failure();
      }
    }
  }

  /** Passes the request to the origin, uncached, for the reason given. */
  void pass(CacheStatus.Forward forward, String detail) throws IOException, ServletException {
    PassThrough.pass(rt, req, res, chain, key, rt.status(forward, key).withDetail(detail));
  }

  /**
   * Passes, uncached, a request that the cache meant to answer itself (from an object, or from a
   * fill it waited for) and cannot: a HEAD goes to the origin as the GET its fill would have
   * been, its body dropped ({@link HeadAsGet}), so that an origin that fails midway reaches its
   * client as the container's error, as it does the HEAD that fills; asked as a HEAD, the origin
   * may have committed a 200 head before failing, which a HEAD's client cannot tell from whole.
   */
  private void passInsteadOfCache(CacheStatus.Forward forward, String detail) throws IOException, ServletException {
    CacheStatus s = rt.status(forward, key).withDetail(detail);
    if ("HEAD".equals(req.getMethod())) {
      PassThrough.pass(rt, HeadAsGet.request(req), HeadAsGet.response(res), chain, key, s);
    } else {
      PassThrough.pass(rt, req, res, chain, key, s);
    }
  }

  /** What the lookup gave: its route, taken. */
  private void handle(CacheEntry entry) throws IOException, ServletException {
    boolean handedOff = false;
    try {
      switch (Route.of(entry, requestCc)) {
        case SERVE -> serve(entry);
        case SERVE_THEN_REFRESH -> {
          StoredHead stale = serve(entry);
          if (stale != null) {
            // Stale-while-revalidate (RFC 5861 §3): the client has its whole response; this
            // request then refreshes the object for everyone, its output going to the cache only.
            res.flushBuffer();
            origin().fetch(entry, stale, true);
          }
        }
        case ONLY_IF_CACHED -> {
          // RFC 9111 §5.2.1.7: nothing stored that may be used, and the origin is not to be asked
          entry.cancel();
          res.setStatus(HttpServletResponse.SC_GATEWAY_TIMEOUT);
          res.setHeader("Cache-Control", "no-store");
          res.setHeader("Cache-Status", rt.status(CacheStatus.Forward.URI_MISS, key).withDetail("only-if-cached")
              .toString());
          res.setContentType("text/plain;charset=utf-8");
          res.getWriter().print("504 Gateway Timeout\n");
        }
        case PASS -> {
          // Nothing of this origin response may be stored: let the next waiter fill the key,
          // and answer this request from the origin as it is.
          entry.cancel();
          pass(CacheStatus.Forward.URI_MISS, "request");
        }
        case FILL -> {
          StoredHead stale = entry.has(LookupState.FOUND) ? rt.head(entry).orElse(null) : null;
          if (stale == null && PartialResponses.serve(rt, req, res, key, entry)) {
            return;
          }
          rt.earlyHints.send(key, req, res); // while the origin works
          handedOff = origin().fetch(entry, stale, false);
        }
      }
    } finally {
      if (!handedOff) {
        entry.close();
      }
    }
  }

  private OriginFetch origin() {
    return new OriginFetch(rt, req, res, chain, key, requestCc);
  }

  /**
   * Serves a usable object; its head if it was served whole, null if it was not (unreadable, and
   * the request passed to the origin instead).
   */
  private StoredHead serve(CacheEntry entry) throws IOException, ServletException {
    Optional<StoredHead> head = rt.head(entry);
    if (head.isEmpty()) {
      // Not an HTTP object: someone else's key, or damaged. Never served.
      entry.cancel();
      rt.cache.purge(key.cacheKey());
      passInsteadOfCache(CacheStatus.Forward.BYPASS, "unreadable object");
      return null;
    }
    if (entry.collapsed() && "HEAD".equals(req.getMethod())) {
      try {
        FillEnd.await(entry); // a HEAD has no body to break: it waits for the fill's end
      } catch (IOException failed) {
        LOG.log(Level.FINE, "the fill a HEAD waited for failed; passing to the origin", failed);
        passInsteadOfCache(CacheStatus.Forward.URI_MISS, "fill failed");
        return null;
      }
    }
    CacheStatus s = rt.served(req, key, entry, entry.has(LookupState.STALE));
    try {
      CachedResponses.serve(req, res, entry, head.get(), s, rt.settings.maxRanges(), rt.cache.clock().millis(),
          rt.stats.bytesFromCache);
    } catch (IOException | RuntimeException e) {
      // a store's reader should fail with IOException; one that throws anything else is no
      // reason for the client to get the container's error page either
      if (!res.isCommitted()) {
        // The stored body could not be read before anything went out (a store that failed, a
        // chunk gone): the client still gets its page, from the origin, uncached.
        LOG.log(Level.FINE, "stored body unreadable; passing to the origin", e);
        res.reset();
        if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
          entry.cancel();
        }
        passInsteadOfCache(CacheStatus.Forward.BYPASS, "stored body unreadable");
        return null;
      }
      // the body being followed failed midway (or the client went): never end it as whole
      if (ConnectionBreaker.breakOff(res)) {
        // broken off here: an exception on top would only have the container log the origin's
        // failure again, once per waiter, as its own
        LOG.log(Level.FINE, "a stored body failed midway; its client is broken off", e);
        return null;
      }
      throw e instanceof IOException io ? io : new IOException("the stored body failed midway", e);
    }
    return head.get();
  }
}
