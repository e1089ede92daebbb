package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /flaky}: fresh for 5 s, then usable for ten minutes if the origin fails
 * ({@code stale-if-error}, RFC 5861 §4). {@code POST /flaky-switch?fail=true} makes it answer
 * 503, and the edge serves the stale copy instead ({@code Cache-Status: ...; fwd=stale;
 * detail=stale-if-error}); {@code fail=false} heals it. The switch has its own URL because a POST
 * invalidates the stored responses of its target (RFC 9111 §4.4).
 */
public class FlakyServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final AtomicBoolean FAILING = new AtomicBoolean();

  @Inject
  transient Counter counter;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (FAILING.get()) {
      res.setStatus(503);
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain;charset=utf-8");
      res.getWriter().println("the origin is failing");
      return;
    }
    res.setHeader("Cache-Control", "public, max-age=5, stale-if-error=600");
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().printf("flaky page, origin call #%d%n", counter.next("flaky"));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    FAILING.set(Boolean.parseBoolean(req.getParameter("fail")));
    res.setHeader("Cache-Control", "no-store");
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().println(FAILING.get() ? "the flaky page now fails" : "the flaky page works again");
  }
}
