package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/**
 * {@code /pages/NAME}: a cacheable page. Browsers may keep it 10 s ({@code Cache-Control}); the
 * edge keeps it 5 minutes ({@code Surrogate-Control}, which only the edge reads and removes), and
 * it carries two tags ({@code Surrogate-Key}) to purge by: {@code pages} and {@code page-NAME}.
 */
public class PageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject
  transient Counter counter;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String name = req.getPathInfo() == null ? "index" : req.getPathInfo().substring(1).replaceAll("[^A-Za-z0-9_-]", "");
    res.setHeader("Cache-Control", "public, max-age=10");
    res.setHeader("Surrogate-Control", "max-age=300");
    res.setHeader("Surrogate-Key", "pages page-" + name);
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().printf("page %s, rendered at %s, origin call #%d%n", name, Instant.now(), counter.next("page-" + name));
  }
}
