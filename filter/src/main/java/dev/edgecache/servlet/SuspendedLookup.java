package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import dev.edgecache.LookupState;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A request whose lookup waits (another request is filling its key) is suspended with the
 * Servlet async API, so that it holds no thread. When the lookup is done, a usable object,
 * streaming or whole, is written with non-blocking output on a container thread; ownership of the
 * key, or a lookup that must go to the origin, comes back to the filter in an {@code ASYNC}
 * dispatch ({@link Resumption}), since only a container dispatch may run the application.
 */
final class SuspendedLookup {
  private static final Logger LOG = Logger.getLogger(SuspendedLookup.class.getName());

  private final FilterRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse res;
  private final RequestKey key;

  SuspendedLookup(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, RequestKey key) {
    this.rt = rt;
    this.req = req;
    this.res = res;
    this.key = key;
  }

  /** Suspends the request until {@code lookup} is done. */
  void suspend(CompletableFuture<CacheEntry> lookup) {
    long since = rt.cache.clock().millis();
    AbortableResponse guarded = new AbortableResponse(res);
    AsyncContext async = req.startAsync(req, guarded);
    async.setTimeout(0); // the lookup is bounded by the lock timeout, a body by its writer
    Resumption resumption = new Resumption(lookup, FilterRuntime::warnNotMappedForAsync);
    async.addListener(resumption);
    lookup.whenComplete((entry, failure) -> {
      RequestSpan.of(req).waitedForLock(rt.cache.clock().millis() - since);
      arrived(async, guarded, resumption, entry, failure);
    });
  }

  /** The lookup of a suspended request is done: serve, or dispatch back to the filter. */
  private void arrived(AsyncContext async, AbortableResponse guarded, Resumption resumption, CacheEntry entry,
      Throwable failure) {
    if (failure instanceof CancellationException) {
      return; // the request ended while it waited
    }
    if (failure != null) {
      LOG.log(Level.FINE, "lookup failed; the request passes", failure);
      resumption.pass(CacheStatus.Forward.BYPASS, "lookup failed");
    } else if (entry.has(LookupState.USABLE) && !entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
      // served here; a stale object this request must refresh needs the application: dispatched
      try {
        async.start(() -> serve(async, guarded, resumption, entry));
      } catch (IllegalStateException over) {
        entry.close(); // the request ended meanwhile
      }
      return;
    } else {
      resumption.handle(entry);
    }
    dispatch(async, resumption, entry);
  }

  /** Dispatches the request back to the filter, which does what {@code resumption} says. */
  private void dispatch(AsyncContext async, Resumption resumption, CacheEntry entry) {
    req.setAttribute(Resumption.ATTRIBUTE, resumption);
    // what the client sees if the dispatch goes straight to the application; the filter,
    // mapped for ASYNC as it should be, replaces it
    res.setHeader("Cache-Status", rt.status(CacheStatus.Forward.BYPASS, key).withDetail("dispatch not filtered")
        .toString());
    try {
      async.dispatch();
    } catch (IllegalStateException over) {
      if (entry != null && Resumption.take(req) != null) {
        entry.close(); // the request ended meanwhile
      }
    }
  }

  /** Answers 502, empty, for a fill that failed before any of its bytes left. */
  private void badGateway(AsyncContext async, IOException failure) {
    LOG.log(Level.FINE, "the fill failed before the client had any of it", failure);
    try {
      res.reset();
      res.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
      res.setHeader("Cache-Status", rt.status(CacheStatus.Forward.URI_MISS, key).withDetail("fill failed").toString());
      res.setContentLength(0);
    } catch (IllegalStateException committed) {
      ConnectionBreaker.breakOff(res); // it left meanwhile: broken off
    }
    async.complete();
  }

  /**
   * The stored body failed before any of it reached the client (a store that went away, a fill
   * that failed while its bytes were still in the container's buffer, or the fill a HEAD waited
   * for): the origin answers, the response saying why ({@code forward}, {@code detail}).
   */
  private void answerAfresh(AsyncContext async, Resumption resumption, IOException failure,
      CacheStatus.Forward forward, String detail) {
    LOG.log(Level.FINE, "stored body failed before the client had any of it; passing to the origin", failure);
    res.reset();
    resumption.pass(forward, detail);
    dispatch(async, resumption, null);
  }

  /** Serves a usable entry to the suspended request, its body with non-blocking output. */
  private void serve(AsyncContext async, AbortableResponse guarded, Resumption resumption, CacheEntry entry) {
    if (!entry.collapsed() || !"HEAD".equals(req.getMethod())) {
      serveNow(async, guarded, resumption, entry);
      return;
    }
    FillEnd.whenEnded(entry, failure -> {
      if (failure == null) {
        serveNow(async, guarded, resumption, entry);
      } else {
        entry.close();
        // the fill failed: this HEAD asks the origin
        answerAfresh(async, resumption, failure, CacheStatus.Forward.URI_MISS, "fill failed");
      }
    });
  }

  private void serveNow(AsyncContext async, AbortableResponse guarded, Resumption resumption, CacheEntry entry) {
    Optional<StoredHead> head = rt.head(entry);
    if (head.isEmpty()) {
      entry.close();
      rt.cache.purge(key.cacheKey());
      resumption.pass(CacheStatus.Forward.BYPASS, "unreadable object");
      dispatch(async, resumption, null);
      return;
    }
    CacheStatus s = rt.served(req, key, entry, entry.has(LookupState.STALE));
    List<CachedResponses.Part> body = CachedResponses.prepare(req, res, entry, head.get(), s,
        rt.settings.maxRanges(), rt.cache.clock().millis());
    if (body.isEmpty()) {
      entry.close();
      try {
        CachedResponses.endWithoutBody(res);
      } catch (IOException e) {
        LOG.log(Level.FINE, "client gone before its head", e);
      }
      async.complete();
      return;
    }
    if (body.get(0).gunzip()) {
      // decoding has no non-blocking form here: this thread of the container's writes it
      try (entry) {
        CachedResponses.write(res, entry, body, rt.stats.bytesFromCache);
      } catch (IOException e) {
        LOG.log(Level.FINE, "a decoded body failed midway", e);
        guarded.abort(e);
      } finally {
        async.complete();
      }
      return;
    }
    try {
      new NonBlockingBodyWriter(async, entry, body, res.getOutputStream(), rt.stats.bytesFromCache, failure -> {
        if (!res.isCommitted()) {
          // No byte reached the client yet, but its output went non-blocking, which a blocking
          // application could not write: the fill's failure is said in a clean 502 instead.
          badGateway(async, failure);
          return;
        }
        // the object's write failed midway: the response must break off, never end as whole
        guarded.abort(failure);
        if (ConnectionBreaker.breakOff(res)) {
          async.complete();
          return;
        }
        resumption.abort(failure); // an exception out of a dispatch through the filter does it
        dispatch(async, resumption, null);
      }, failure -> answerAfresh(async, resumption, failure, CacheStatus.Forward.BYPASS, "stored body unreadable"),
          NonBlockingBodyWriter.Mode.waiter(res)).start();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "client gone before its body", e);
      entry.close();
      async.complete();
    }
  }
}
