package dev.edgecache.servlet;

import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Runs the chain for a response that is not stored: the request passes to the origin, and its
 * response to the client, with a {@code Cache-Status} that says why. The response ends when the
 * chain returns or, if the application went async, when it completes: until then its writer may
 * still hold the page.
 */
final class PassThrough {
  private PassThrough() {}

  /** Passes a GET or HEAD whose response the cache does not store, for the reason {@code s} gives. */
  static void pass(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, FilterChain chain, RequestKey key,
      CacheStatus s) throws IOException, ServletException {
    FilterStats stats = rt.stats;
    stats.bypassed.increment();
    stats.passes.add(s.detail() != null ? s.detail() : s.forward() != null ? s.forward().token() : "bypass");
    rt.report(req, key, RequestOutcome.PASS);
    TeeResponse pass = new TeeResponse(res, stats, rt.edgeOnlyFields, r -> {
      r.setHeader("Cache-Status", s.withForwardStatus(r.getStatus()).toString());
      return TeeDecider.Mode.PASS;
    });
    run(rt, req, pass, chain);
  }

  /** Runs the chain with {@code tee}, finishing it when the response ends. */
  static void run(FilterRuntime rt, HttpServletRequest req, TeeResponse tee, FilterChain chain)
      throws IOException, ServletException {
    FillCompletion completion = new FillCompletion(tee, null, rt.stats.stored, rt.settings.lockTimeout(),
        rt.timer, rt.cache.clock());
    try (RequestSpan.Phase fetch = RequestSpan.of(req).origin()) {
      chain.doFilter(new CompletionAwareRequest(req, completion), tee);
      if (req.isAsyncStarted()) {
        fetch.continuesAfterDispatch();
      }
    } catch (IOException | ServletException | RuntimeException | Error e) {
      ConnectionBreaker.breakOffIfCommitted(tee.client());
      throw e;
    }
    if (completion.isAsyncStarted()) {
      return;
    }
    if (req.isAsyncStarted()) {
      req.getAsyncContext().addListener(completion); // started around the filter's request
      return;
    }
    tee.finish();
  }
}
