package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import dev.edgecache.LookupState;
import dev.edgecache.http.CacheControl;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.FetchPlan;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the chain for the key a request owns, through a {@link TeeResponse} whose decision is
 * {@link StoreAtCommit}'s. With a stale object that has validators, the origin is asked
 * conditionally and a 304 freshens the object (RFC 9111 §4.3.3). In the background (after a
 * stale-while-revalidate response), nothing reaches the client and a failure keeps the stale
 * object. An origin that fails before anything was sent, when a stale object may be served in its
 * place, gets that object served instead (RFC 5861 §4, RFC 9111 §4.2.4).
 */
final class OriginFetch {
  private static final Logger LOG = Logger.getLogger(OriginFetch.class.getName());
  /** The request attribute by which the application says its origin could not be reached ({@code EdgeCacheFilter.ORIGIN_UNREACHABLE}). */
  static final String ORIGIN_UNREACHABLE = "dev.edgecache.origin-unreachable";

  private final FilterRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse res;
  private final FilterChain chain;
  private final RequestKey key;
  private final CacheControl requestCc;

  OriginFetch(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, FilterChain chain, RequestKey key,
      CacheControl requestCc) {
    this.rt = rt;
    this.req = req;
    this.res = res;
    this.chain = chain;
    this.key = key;
    this.requestCc = requestCc;
  }

  /**
   * Fetches the object for {@code entry}, whose key this request owns; {@code stale} is the
   * stored object's head if one was found. Returns true if an async request will end the fill
   * (and close the entry).
   */
  boolean fetch(CacheEntry entry, StoredHead stale, boolean background) throws IOException, ServletException {
    FilterStats stats = rt.stats;
    if (!background) {
      stats.misses.increment();
    }
    stats.originFills.increment();
    long requestTime = rt.cache.clock().millis();
    FetchPlan plan = FetchPlan.of(background, entry.has(LookupState.USABLE_IF_ERROR), stale, req.getMethod(),
        req.getHeader("Range") != null || req.getHeader("If-None-Match") != null
            || req.getHeader("If-Modified-Since") != null,
        req.getHeader("Range"), req.isAsyncSupported());
    BooleanSupplier staleUsable = () -> plan.staleIfError()
        || (plan.staleIfUnreachable() && req.getAttribute(ORIGIN_UNREACHABLE) != null);
    // A client's own conditionals and ranges never reach the origin on a fill: the whole object
    // is fetched and stored, and the client's answer is cut from it on the way (ColdAnswer);
    // but for a range of something not stored at all, asked as the client asked it
    // (FetchPlan.forwardsRange, PartialResponses).
    // the parameters the key leaves out and hides, the origin does not see: what it answers cannot
    // depend on them (KeyParams); nor a language other than the one the key picked (LanguageVariants)
    HttpServletRequest shown = rt.keys.shown(req);
    HttpServletRequest toOrigin = plan.rewritesRequest()
        ? new RevalidationRequest(shown, plan.etag(), plan.lastModified(), background, plan.forwardsRange(),
            rt.cache.clock()) : shown;
    HttpServletResponse target = background ? new DetachedResponse(res)
        : plan.answersFromWhole() ? new ColdAnswer(req, res, rt.settings.maxRanges(), rt.cache.clock()) : res;
    if (plan.head()) {
      toOrigin = HeadAsGet.request(toOrigin);
      target = background ? target : HeadAsGet.response(target);
    }
    StoreAtCommit decision = new StoreAtCommit(rt, req, key, requestCc, entry, plan, toOrigin, requestTime,
        staleUsable, plan.conditional() ? stale : null, new OwnClientFollower(rt, req, res, key));
    TeeResponse tee = new TeeResponse(target, stats, rt.edgeOnlyFields, decision);
    FillCompletion completion = new FillCompletion(tee, entry, stats.stored, rt.settings.lockTimeout(), rt.timer,
        rt.cache.clock());
    if (!background) {
      // an async response ends on the application's thread, maybe before the chain returns here
      completion.onEnded(() -> answerHeldBack(entry, decision, tee));
      toOrigin = new CompletionAwareRequest(toOrigin, completion);
    }
    RequestOutcome outcome = RequestOutcome.MISS;
    try {
      try (RequestSpan.Phase fetch = RequestSpan.of(req).origin()) {
        chain.doFilter(toOrigin, tee);
        if (toOrigin.isAsyncStarted()) {
          fetch.continuesAfterDispatch();
        }
      } catch (IOException | ServletException | RuntimeException | Error e) {
        if (StoreWriteFailed.in(e)) {
          tee.dropFailedSink(); // the store's failure, under a good response
        } else {
          tee.abortSink();
        }
        if (tee.clientDetached()) {
          // its follower learns from the object that the body failed, and breaks the response
          LOG.log(Level.FINE, "origin failed midway; the client served from the object is cut off", e);
          return false;
        }
        if (background) {
          LOG.log(Level.FINE, "background revalidation failed; the stale object stays", e);
          entry.cancel();
          return false;
        }
        if (staleUsable.getAsBoolean() && !res.isCommitted()) {
          LOG.log(Level.FINE, "origin failed; serving stale if error", e);
          res.reset();
          outcome = serveStale(entry, null);
          return false;
        }
        ConnectionBreaker.breakOffIfCommitted(res);
        throw e;
      }
      if (!background && (completion.isAsyncStarted() || (req.isAsyncStarted() && !tee.clientDetached()))) {
        // The response ends later, when the async request completes; so does the transaction.
        if (!completion.isAsyncStarted()) {
          req.getAsyncContext().addListener(completion);
        }
        completion.watchStalls();
        return true;
      }
      if (tee.finish()) {
        stats.stored.increment();
      }
      if (background) {
        entry.cancel(); // whatever the outcome, the key is free again
        return false;
      }
      outcome = answerHeldBack(entry, decision, tee);
      return false;
    } finally {
      if (!background) {
        rt.report(req, key, outcome);
      }
    }
  }

  /**
   * Once the origin's response has ended: what it held back from the client is answered from the
   * stored object, the 304's merge (RFC 9111 §4.3.4) or a stale object in place of a failure.
   */
  private RequestOutcome answerHeldBack(CacheEntry entry, StoreAtCommit decision, TeeResponse tee)
      throws IOException {
    if (decision.notModified() != null) {
      res.reset();
      rt.stats.staleServed.increment();
      CacheStatus s = rt.status(CacheStatus.Forward.STALE, key).withForwardStatus(304);
      if (decision.notModifiedTtl().isPresent()) {
        s = s.withTtl(decision.notModifiedTtl().getAsLong());
      }
      CachedResponses.serve(req, res, entry, decision.notModified(), decision.notModifiedAge(), s,
          rt.settings.maxRanges(), rt.cache.clock().millis(), rt.stats.bytesFromCache);
      if (decision.dropAfterServing()) {
        rt.cache.purge(key.cacheKey());
      }
      return RequestOutcome.REVALIDATED;
    }
    if (tee.endedIn() == TeeState.DISCARDING && !tee.headRefused()) {
      res.reset();
      return serveStale(entry, tee.getStatus());
    }
    return RequestOutcome.MISS;
  }

  /** Serves the stale object for a failed origin, or 502 if it cannot be read. */
  private RequestOutcome serveStale(CacheEntry entry, Integer originStatus) throws IOException {
    StoredHead head = rt.head(entry).orElse(null);
    if (head == null) {
      res.sendError(HttpServletResponse.SC_BAD_GATEWAY);
      return RequestOutcome.MISS;
    }
    rt.stats.staleServed.increment();
    CacheStatus s = rt.status(CacheStatus.Forward.STALE, key)
        .withDetail(entry.has(LookupState.USABLE_IF_ERROR) ? "stale-if-error" : "origin-unreachable");
    CachedResponses.serve(req, res, entry, head, originStatus == null ? s : s.withForwardStatus(originStatus),
        rt.settings.maxRanges(), rt.cache.clock().millis(), rt.stats.bytesFromCache);
    return RequestOutcome.STALE_IF_ERROR;
  }
}
