package dev.edgecache.it.containers;

import dev.edgecache.it.containers.MatrixCell.Answer;
import dev.edgecache.it.containers.MatrixCell.Channel;
import dev.edgecache.it.containers.MatrixCell.Flush;
import dev.edgecache.it.containers.MatrixCell.Length;
import dev.edgecache.it.containers.MatrixCell.Who;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application of the call-order matrix: each path names a {@link MatrixCell}, and the servlet
 * answers it exactly as the cell says, numbering its calls per cell ({@code X-Call}) so that each
 * client's bytes can be checked against the call they came from ({@link #page}).
 */
final class MatrixApp extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /**
   * The first calls held until the test lets them go, by path: the other clients of a collapsed
   * cell arrive and queue behind the first while it is held.
   */
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  /** A first call held: {@code arrived} once it reached the application, then waiting for {@code release}. */
  record Hold(java.util.concurrent.CountDownLatch arrived, java.util.concurrent.CountDownLatch release) {}

  /** Holds the cell's first call when it comes, until {@link Hold#release} opens. */
  Hold holdFirstCall(MatrixCell cell) {
    Hold h = new Hold(new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
    holds.put(cell.path(), h);
    return h;
  }
  private static final String DISPATCHED = MatrixApp.class.getName() + ".dispatched";
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** How many times the application answered the cell's path. */
  int calls(MatrixCell cell) {
    AtomicInteger n = calls.get(cell.path());
    return n == null ? 0 : n.get();
  }

  /** The page of call {@code n} of a cell: ASCII, {@code size} bytes, different for every call and cell. */
  static byte[] page(MatrixCell cell, int n) {
    String unit = cell.path() + " call " + n + "|";
    StringBuilder b = new StringBuilder(cell.size().bytes + unit.length());
    while (b.length() < cell.size().bytes) {
      b.append(unit);
    }
    b.setLength(cell.size().bytes);
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    MatrixCell cell = MatrixCell.parse(path);
    switch (cell.when()) {
      case SYNC -> answer(cell, req, res);
      case ASYNC_THREAD -> {
        AsyncContext ac = req.startAsync(req, res);
        new Thread(() -> completing(ac, () -> answer(cell, (HttpServletRequest) ac.getRequest(),
            (HttpServletResponse) ac.getResponse()))).start();
      }
      case ASYNC_PLAIN -> {
        AsyncContext ac = req.startAsync();
        ac.start(() -> completing(ac, () -> answer(cell, req, res)));
      }
      case ASYNC_START -> {
        AsyncContext ac = req.startAsync(req, res);
        ac.start(() -> completing(ac, () -> answer(cell, (HttpServletRequest) ac.getRequest(),
            (HttpServletResponse) ac.getResponse())));
      }
      case DISPATCH -> {
        if (req.getDispatcherType() == DispatcherType.ASYNC || req.getAttribute(DISPATCHED) != null) {
          answer(cell, req, res);
        } else {
          req.setAttribute(DISPATCHED, Boolean.TRUE);
          req.startAsync(req, res).dispatch();
        }
      }
    }
  }

  private interface Work {
    void run() throws IOException;
  }

  private static void completing(AsyncContext ac, Work work) {
    try {
      work.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ac.complete();
    }
  }

  /** Answers as the cell says, as call number n of its path. */
  private void answer(MatrixCell cell, HttpServletRequest req, HttpServletResponse res) throws IOException {
    int n = calls.computeIfAbsent(cell.path(), p -> new AtomicInteger()).incrementAndGet();
    Hold hold = n == 1 ? holds.remove(cell.path()) : null;
    if (hold != null) {
      hold.arrived().countDown();
      awaitRelease(hold); // the origin's latency: the other clients arrive and queue behind this one
    }
    switch (cell.answer()) {
      case ERROR_PAGE -> {
        res.setHeader("X-Call", Integer.toString(n));
        res.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      case REDIRECT -> {
        res.setHeader("X-Call", Integer.toString(n));
        res.sendRedirect("/elsewhere");
        return;
      }
      case NOT_MODIFIED -> {
        String inm = req.getHeader("If-None-Match");
        if (inm != null && inm.contains("\"v1\"")) {
          res.setHeader("Cache-Control", "public, no-cache");
          res.setHeader("ETag", "\"v1\"");
          res.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
          return; // a 304 carries no X-Call: the stored page stays the first call's
        }
      }
      case RESET, RESET_BUFFER -> {
        // a first attempt, dropped: with reset() the writer may be chosen afresh, with resetBuffer() not
        res.setHeader("Cache-Control", "public, max-age=60");
        res.getOutputStream().write("not this".getBytes(StandardCharsets.US_ASCII));
        if (cell.answer() == Answer.RESET) {
          res.reset();
        } else {
          res.resetBuffer();
        }
      }
      default -> { }
    }
    res.setHeader("Cache-Control", switch (cell.answer()) {
      case UNCACHEABLE -> "private, max-age=60";
      case NOT_MODIFIED -> "public, no-cache";
      default -> "public, max-age=60";
    });
    if (cell.answer() == Answer.NOT_MODIFIED) {
      res.setHeader("ETag", "\"v1\"");
    }
    res.setHeader("X-Call", Integer.toString(n));
    res.setContentType("text/plain;charset=us-ascii");
    byte[] page = page(cell, n);
    if (cell.length() == Length.DECLARED) {
      res.setContentLength(page.length);
    }
    int half = page.length / 2;
    if (cell.channel() == Channel.WRITER && cell.answer() != Answer.RESET_BUFFER) {
      PrintWriter w = res.getWriter();
      String text = new String(page, StandardCharsets.US_ASCII);
      w.print(text.substring(0, half));
      midway(cell, w::flush);
      w.print(text.substring(half));
    } else {
      OutputStream out = res.getOutputStream();
      out.write(page, 0, half);
      midway(cell, out::flush);
      out.write(page, half, page.length - half);
    }
  }

  private static void midway(MatrixCell cell, Work flush) throws IOException {
    if (cell.flush() == Flush.MIDWAY) {
      flush.run();
    }
    if (cell.answer() == Answer.THROW) {
      throw new IOException(LogWatch.FAILING_ON_PURPOSE);
    }
  }

  private static void awaitRelease(Hold hold) {
    try {
      hold.release().await(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
