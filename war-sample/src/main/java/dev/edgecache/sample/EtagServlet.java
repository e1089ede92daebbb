package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /etag}: a page with a validator. A request with {@code If-None-Match: "v1"} gets a 304
 * from the edge without reaching the origin; once the stored copy is stale (after 10 s) the edge
 * revalidates it with the origin, which answers 304, and the copy is fresh again without its
 * body being sent twice.
 */
public class EtagServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String ETAG = "\"v1\"";

  @Inject
  transient Counter counter;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    long call = counter.next("etag");
    res.setHeader("ETag", ETAG);
    res.setHeader("Cache-Control", "public, max-age=10");
    if (ETAG.equals(req.getHeader("If-None-Match"))) {
      res.setStatus(304);
      return;
    }
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().printf("a page with an ETag, origin call #%d%n", call);
  }
}
