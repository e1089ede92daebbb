package dev.edgecache.sample.launcher;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Answers 508 Loop Detected (RFC 5842 §7.2) to a request that already passed through this edge,
 * as its own entry in {@code Via} shows (RFC 9110 §7.6.3): an edge whose origin leads back to
 * itself. It sits before the cache, since the looping request would otherwise wait for the very
 * fill that sent it.
 */
final class LoopGuard implements Filter {
  private final String pseudonym;

  /** @param pseudonym this edge's received-by name in {@code Via}, unique to it */
  LoopGuard(String pseudonym) {
    this.pseudonym = pseudonym.toLowerCase(Locale.ROOT);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest req && response instanceof HttpServletResponse res
        && passedHere(req.getHeaders("Via"))) {
      res.setStatus(508);
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain;charset=utf-8");
      res.getWriter().print("508 Loop Detected\n");
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean passedHere(Enumeration<String> via) {
    while (via != null && via.hasMoreElements()) {
      for (String entry : via.nextElement().split(",")) {
        // "1.1 name" or "1.1 name (comment)": the received-by part is the second token
        String[] parts = entry.trim().split("\\s+");
        if (parts.length >= 2 && parts[1].toLowerCase(Locale.ROOT).equals(pseudonym)) {
          return true;
        }
      }
    }
    return false;
  }
}
