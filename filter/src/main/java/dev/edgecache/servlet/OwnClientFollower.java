package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a fill's own client from the object the fill is writing, as a waiter is served: the fill
 * goes at the origin's pace whatever this client does, so a client that reads slowly slows nobody
 * else's download. The response goes async, and is completed once the body is written.
 *
 * <p>Where the container's non-blocking output makes progress while the request's dispatch (the
 * fill) runs ({@link DispatchOutput}), the fill's own thread writes each stored chunk to the
 * client as it goes, without waiting for it ({@link NonBlockingBodyWriter}, inline): no handoff
 * to another thread, which on a busy machine costs the first byte milliseconds. Elsewhere a
 * thread of the filter's writes it with blocking writes.
 */
final class OwnClientFollower {
  private static final Logger LOG = Logger.getLogger(OwnClientFollower.class.getName());

  private final FilterRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse res;
  private final RequestKey key;

  OwnClientFollower(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, RequestKey key) {
    this.rt = rt;
    this.req = req;
    this.res = res;
    this.key = key;
  }

  /**
   * Follows the fill through {@code readBack}, its object read back as it is written, and turns
   * {@code tee} to store only. False, and nothing changed, if the object cannot be read back, its
   * body would have to be decoded for this client, the chain cannot go async, or the application
   * went async itself.
   */
  boolean follow(CacheEntry readBack, CacheStatus status, TeeResponse tee, BodySink sink) {
    Optional<StoredHead> head = rt.head(readBack);
    if (head.isEmpty() || CachedResponses.decodes(req, head.get())) {
      // a body to decode is the origin's for this client, which already has its coded fields
      readBack.close();
      return false;
    }
    if (!req.isAsyncSupported()) {
      // A servlet that is not async-supported (Tomcat's DefaultServlet): normal, and no error;
      // the container would refuse startAsync with a warning.
      readBack.close();
      return false;
    }
    if (req.isAsyncStarted()) {
      // An application that went async writes on threads of its own and ends the response
      // itself; its completion, timeout and failure then belong to it, so its client is written
      // through the fill.
      readBack.close();
      return false;
    }
    AsyncContext async;
    try {
      async = req.startAsync(req, res);
      async.setTimeout(0); // the follower ends it; a stalled client, the container's idle timeout
    } catch (IllegalStateException cannot) {
      readBack.close();
      return false;
    }
    tee.storeOnly(sink, async); // before the follower starts: its completion is not the fill's end
    List<CachedResponses.Part> body = CachedResponses.prepare(req, res, readBack, head.get(), status,
        rt.settings.maxRanges(), rt.cache.clock().millis());
    if (DispatchOutput.progressesWithinDispatch(res)) {
      if (body.isEmpty()) {
        // a HEAD, 304 or 416: its head alone, ended as a blocking writer ends it (with no
        // Content-Length added), on this thread, which the head's one write cannot hold up
        write(async, readBack, body, tee);
      } else {
        writeInline(async, readBack, body, tee);
      }
      return true;
    }
    try {
      rt.ownClients.execute(() -> write(async, readBack, body, tee));
    } catch (RejectedExecutionException stopping) {
      write(async, readBack, body, tee); // the filter is being destroyed: no detour
    }
    return true;
  }

  /**
   * Writes the body with non-blocking output, each chunk on the thread that stores it. A large
   * head goes out first, blocking, so that a container that refuses it says so while the object
   * can still be dropped ({@link RefusedHead}).
   */
  private void writeInline(AsyncContext async, CacheEntry readBack, List<CachedResponses.Part> body, TeeResponse tee) {
    try {
      RefusedHead.writeOutIfLarge(res);
      new NonBlockingBodyWriter(async, readBack, body, res.getOutputStream(), new LongAdder(),
          midway -> ended(async, tee, midway, true), beforeFirstByte -> ended(async, tee, beforeFirstByte, false),
          NonBlockingBodyWriter.Mode.OWN_CLIENT).start();
    } catch (IOException | RuntimeException e) {
      readBack.close();
      ended(async, tee, e, false);
    }
  }

  /**
   * Answers the fill's own client after its body failed, then completes the response unless it was
   * dispatched again; {@code nonBlocking} once its output went non-blocking, which a blocking
   * application can no longer write.
   */
  private void ended(AsyncContext async, TeeResponse tee, Exception e, boolean nonBlocking) {
    LOG.log(Level.FINE, "the body of a fill did not reach its own client whole", e);
    boolean dispatched = false;
    try {
      if (nonBlocking && !res.isCommitted()) {
        badGateway(tee.originFailed() ? "origin failed" : "store failed");
      } else {
        dispatched = answerFailure(async, tee, e);
      }
    } catch (RuntimeException recycled) {
      LOG.log(Level.FINE, "the fill's client is gone", recycled);
    }
    if (!dispatched) {
      complete(async);
    }
  }

  /** Completes the response, unless the container ended it already (its client went). */
  private static void complete(AsyncContext async) {
    try {
      async.complete();
    } catch (IllegalStateException over) {
      // the container ended it already
    }
  }

  /** Writes the body of the object being filled to the fill's own client, then completes. */
  private void write(AsyncContext async, CacheEntry readBack, List<CachedResponses.Part> body, TeeResponse tee) {
    boolean dispatched = false;
    try {
      RefusedHead.writeOutIfLarge(res);
      CachedResponses.write(res, readBack, body, new LongAdder());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "the body of a fill did not reach its own client whole", e);
      try {
        dispatched = answerFailure(async, tee, e);
      } catch (RuntimeException recycled) {
        // the container ended the request meanwhile (Jetty recycles an aborted one): nobody to answer
        LOG.log(Level.FINE, "the fill's client is gone", recycled);
      }
    } finally {
      readBack.close();
      if (!dispatched) {
        complete(async);
      }
    }
  }

  /** Answers the fill's own client after its body failed; whether it was dispatched again. */
  private boolean answerFailure(AsyncContext async, TeeResponse tee, Exception e) {
    if (RefusedHead.in(e) && RefusedHead.large(res)) {
      // the container cannot write this head: the object would fail every client the same way
      rt.cache.purge(key.cacheKey());
      rt.stats.notStored.add("head-refused");
      badGateway("head too large"); // unless the container took it as written (Jetty answers 500)
    } else if (!res.isCommitted() && tee.originFailed()) {
      badGateway("origin failed"); // the origin failed before a byte of its body reached this client
    } else if (!res.isCommitted()) {
      // No byte reached this client, and the origin's response was good: the store failed
      // under it (a cluster that went away). The client still gets its page: once more from
      // the origin, uncached, through an ASYNC dispatch that runs once the fill's has returned.
      return passAgain(async);
    } else {
      // the fill failed midway, or the client went: its declared length says the body is short
      ConnectionBreaker.breakOff(res);
    }
    return false;
  }

  /** Answers 502 with an empty body, if nothing was sent yet. */
  private void badGateway(String detail) {
    if (res.isCommitted()) {
      return;
    }
    res.reset();
    res.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
    res.setHeader("Cache-Status", rt.status(CacheStatus.Forward.URI_MISS, key).withDetail(detail).toString());
    res.setContentLength(0);
  }

  /** Dispatches the request to the origin once more, uncached; false if the container ended it. */
  private boolean passAgain(AsyncContext async) {
    res.reset();
    Resumption again = new Resumption(CompletableFuture.completedFuture(null), FilterRuntime::warnNotMappedForAsync);
    again.pass(CacheStatus.Forward.URI_MISS, "store failed");
    req.setAttribute(Resumption.ATTRIBUTE, again);
    try {
      async.dispatch();
      return true;
    } catch (IllegalStateException over) {
      req.removeAttribute(Resumption.ATTRIBUTE); // the container ended it already
      return false;
    }
  }
}
