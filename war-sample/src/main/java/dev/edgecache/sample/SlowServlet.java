package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /slow}: takes two seconds and is cacheable for 10 s. Many concurrent requests on a cold
 * key make one origin call: the others wait for it and stream its answer ({@code Cache-Status}
 * says {@code collapsed}), and every body shows the same call number.
 */
public class SlowServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject
  transient Counter counter;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    long call = counter.next("slow");
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    res.setHeader("Cache-Control", "public, max-age=10");
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().printf("slow page, origin call #%d%n", call);
  }
}
