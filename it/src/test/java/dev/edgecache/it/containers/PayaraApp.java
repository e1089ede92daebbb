package dev.edgecache.it.containers;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the filter in Payara Micro, in a process of its own ({@link
 * PayaraMicroTest}): it counts its calls per path and tells them at {@code /calls}, and holds
 * {@code /held} and {@code /dies} until {@code /release} is asked, so that other requests can
 * join their fills. It depends on the Servlet API alone.
 */
public final class PayaraApp extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static volatile CountDownLatch gate = new CountDownLatch(1);

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    switch (path) {
      case "/calls" -> {
        res.setHeader("Cache-Control", "no-store");
        res.setContentType("text/plain");
        StringBuilder b = new StringBuilder();
        new TreeMap<>(CALLS).forEach((p, n) -> b.append(p).append('=').append(n.get()).append('\n'));
        res.getWriter().print(b);
        return;
      }
      case "/release" -> {
        res.setHeader("Cache-Control", "no-store");
        gate.countDown();
        return;
      }
      case "/close" -> {
        res.setHeader("Cache-Control", "no-store");
        gate = new CountDownLatch(1);
        return;
      }
      default -> { }
    }
    int n = CALLS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    res.setHeader("X-Call", Integer.toString(n));
    res.setHeader("Cache-Control", "public, max-age=60");
    res.setContentType("text/plain");
    switch (path) {
      case "/held" -> {
        awaitGate();
        text(res, "held " + n);
      }
      case "/dies" -> {
        // a body of no declared length, sent in part, then a failure: its clients must see it broken
        ServletOutputStream out = res.getOutputStream();
        out.write(new byte[20_000]);
        out.flush();
        awaitGate();
        throw new IllegalStateException("the application fails midway, on purpose");
      }
      default -> text(res, "page " + path + " " + n);
    }
  }

  private static void text(HttpServletResponse res, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }

  private static void awaitGate() throws IOException {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
