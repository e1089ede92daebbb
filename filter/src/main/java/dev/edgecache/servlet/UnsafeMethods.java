package dev.edgecache.servlet;

import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.Invalidation;
import dev.edgecache.http.RequestKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Methods other than GET and HEAD pass to the origin. RFC 9111 §4.4: a non-error response to an
 * unsafe one invalidates the stored responses of its target URI and of same-host
 * {@code Location} and {@code Content-Location}; a safe one (OPTIONS, say) invalidates nothing
 * (RFC 9110 §9.2.1), or anyone could flush any object with a preflight.
 */
final class UnsafeMethods {
  private UnsafeMethods() {}

  static void pass(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    rt.stats.bypassed.increment();
    rt.stats.passes.add("method");
    rt.report(req, null, RequestOutcome.PASS);
    TeeResponse pass = new TeeResponse(res, rt.stats, rt.edgeOnlyFields, r -> {
      r.setHeader("Cache-Status", CacheStatus.forward(rt.settings.cacheName(), CacheStatus.Forward.REQUEST)
          .withForwardStatus(r.getStatus()).toString());
      // As the response commits, before the client can have all of it and ask again: a request
      // it sends next must not find what this one invalidated.
      int status = r.getStatus();
      if (Invalidation.invalidates(req.getMethod(), status)) {
        for (RequestKey k : Invalidation.targets(req.getMethod(), rt.keys.keyOf(req), status,
            r.getHeader("Location"), r.getHeader("Content-Location"))) {
          ServedAuthorities.purgeUrl(rt.cache, k, false);
        }
      }
      return TeeDecider.Mode.PASS;
    });
    PassThrough.run(rt, req, pass, chain);
  }
}
