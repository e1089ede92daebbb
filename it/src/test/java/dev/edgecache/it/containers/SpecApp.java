package dev.edgecache.it.containers;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the filter in every container: each path answers one way that
 * applications really do (synchronous or async, writer or stream, flushed or not, large, slow,
 * an error page), and every call is counted per path.
 */
final class SpecApp extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** The size of {@code /large} and {@code /async-large}: large enough to outlast a client. */
  static final int LARGE = 15 * 1024 * 1024;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  /** Held by {@code /large} and {@code /async-large} after their first MiB until a test opens it. */
  volatile CountDownLatch midway = new CountDownLatch(0);

  int calls(String path) {
    AtomicInteger n = calls.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    switch (path) {
      case "/cacheable" -> text(res, "cacheable " + n);
      case "/hinted" -> {
        // an HTML page, stale at once and kept by its validator, with a preload link
        res.setHeader("ETag", "\"h" + n + "\"");
        res.setHeader("Link", "</style.css>; rel=preload; as=style");
        res.setHeader("Cache-Control", "max-age=0");
        res.setContentType("text/html;charset=utf-8");
        res.getWriter().print("hinted " + n);
      }
      case "/query" -> {
        // a QUERY's content, read as applications read it: by the reader, or by the stream
        String content = req.getContentType() != null && req.getContentType().startsWith("text/")
            ? req.getReader().lines().collect(java.util.stream.Collectors.joining("\n"))
            : new String(req.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        text(res, req.getMethod() + " " + n + " " + content);
      }
      case "/writer" -> {
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("text/plain;charset=utf-8");
        res.getWriter().print("written through the writer " + n);
      }
      case "/async-wrapped" -> {
        // the common way: startAsync with the filter's request and response, written on another thread
        AsyncContext ac = req.startAsync(req, res);
        new Thread(() -> asyncText(ac, "async, wrapped, not flushed, a body of sixty-odd bytes " + n)).start();
      }
      case "/async-start" -> {
        AsyncContext ac = req.startAsync(req, res);
        ac.start(() -> asyncText(ac, "async by AsyncContext.start " + n));
      }
      case "/async-plain" -> {
        // startAsync() without arguments: the container's own response, around the filter
        AsyncContext ac = req.startAsync();
        ac.start(() -> asyncText(ac, "async around the filter " + n));
      }
      case "/async-print" -> {
        // startAsync() without arguments, the page printed to the response the servlet was given
        // (the filter's) through its writer, never flushed: as templates write
        AsyncContext ac = req.startAsync();
        ac.start(() -> print(res, ac, "printed on AsyncContext.start " + n + "\n"));
      }
      case "/async-print-thread" -> {
        AsyncContext ac = req.startAsync(req, res);
        new Thread(() -> print((HttpServletResponse) ac.getResponse(), ac, "printed on a thread " + n + "\n")).start();
      }
      case "/many-fields" -> {
        // a head larger than any container writes (Jetty and Tomcat stop at 8 KiB by default)
        res.setHeader("Cache-Control", "max-age=60");
        for (int i = 0; i < 1000; i++) {
          res.addHeader("X-Field-" + i, "value " + i);
        }
        text(res, "many fields " + n);
      }
      case "/chunked" -> {
        // no Content-Length: KIB KiB, flushed as it goes, so the head leaves before the end
        int kib = Integer.parseInt(req.getParameter("kib"));
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("application/octet-stream");
        OutputStream out = res.getOutputStream();
        byte[] block = new byte[1024];
        for (int i = 0; i < kib; i++) {
          out.write(block);
          if (i % 64 == 63) {
            out.flush();
          }
        }
      }
      case "/large" -> large(res, n);
      case "/async-large" -> {
        AsyncContext ac = req.startAsync(req, res);
        ac.setTimeout(60_000);
        new Thread(() -> {
          try {
            large((HttpServletResponse) ac.getResponse(), n);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            ac.complete();
          }
        }).start();
      }
      case "/async-dies" -> {
        // writes its first MiB, waits for the test, then its thread dies without completing
        AsyncContext ac = req.startAsync(req, res);
        ac.setTimeout(3_000);
        new Thread(() -> {
          try {
            large((HttpServletResponse) ac.getResponse(), n, true);
          } catch (IOException | RuntimeException e) {
            // the thread ends here, as a failing application's would
          }
        }).start();
      }
      case "/sized" -> {
        int kib = Integer.parseInt(req.getParameter("kib"));
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("application/octet-stream");
        res.setContentLength(kib * 1024);
        byte[] block = new byte[1024];
        OutputStream out = res.getOutputStream();
        for (int i = 0; i < kib; i++) {
          out.write(block);
        }
      }
      case "/dies-chunked" -> {
        // no Content-Length: 256 KiB, a pause until the test opens midway, then a failure
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("application/octet-stream");
        OutputStream out = res.getOutputStream();
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < 4; i++) {
          out.write(block);
        }
        out.flush();
        try {
          midway.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("the application fails midway");
      }
      case "/non-blocking" -> nonBlocking(req, res, n);
      case "/missing" -> res.sendError(HttpServletResponse.SC_NOT_FOUND);
      default -> {
        res.setStatus(404);
        res.setHeader("Cache-Control", "no-store");
      }
    }
  }

  private static void text(HttpServletResponse res, String body) throws IOException {
    res.setHeader("Cache-Control", "max-age=60");
    res.setContentType("text/plain");
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }

  /** Writes a small body to the async response without flushing, then completes. */
  private static void asyncText(AsyncContext ac, String body) {
    try {
      HttpServletResponse r = (HttpServletResponse) ac.getResponse();
      r.setHeader("Cache-Control", "max-age=60");
      r.setContentType("text/plain");
      r.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ac.complete();
    }
  }

  /** Prints a small page through the writer without flushing it, then completes. */
  private static void print(HttpServletResponse r, AsyncContext ac, String body) {
    try {
      r.setHeader("Cache-Control", "public, max-age=60");
      r.setContentType("text/plain;charset=utf-8");
      r.getWriter().print(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ac.complete();
    }
  }

  /** The size of {@code /non-blocking}: more than a container's output buffer, so that it waits to write. */
  static final int NON_BLOCKING = 256 * 1024;

  /**
   * {@link #NON_BLOCKING} bytes of the large body's pattern, written with non-blocking output
   * ({@code setWriteListener}) in 16 KiB pieces while the stream is ready, then completed.
   */
  private static void nonBlocking(HttpServletRequest req, HttpServletResponse res, int n) throws IOException {
    res.setHeader("Cache-Control", "max-age=60");
    res.setHeader("X-Call", Integer.toString(n));
    res.setContentType("application/octet-stream");
    res.setContentLength(NON_BLOCKING);
    AsyncContext ac = req.startAsync();
    jakarta.servlet.ServletOutputStream out = res.getOutputStream();
    out.setWriteListener(new jakarta.servlet.WriteListener() {
      private int at;

      @Override
      public void onWritePossible() throws IOException {
        while (out.isReady()) {
          if (at == NON_BLOCKING) {
            ac.complete();
            return;
          }
          byte[] piece = new byte[16 * 1024];
          for (int i = 0; i < piece.length; i++) {
            piece[i] = largeByte(at + i);
          }
          at += piece.length;
          out.write(piece);
        }
      }

      @Override
      public void onError(Throwable t) {
        ac.complete();
      }
    });
  }

  /** {@link #LARGE} bytes of a known pattern, with a pause at the first MiB. */
  private void large(HttpServletResponse res, int n) throws IOException {
    large(res, n, false);
  }

  private void large(HttpServletResponse res, int n, boolean dieMidway) throws IOException {
    res.setHeader("Cache-Control", "max-age=60");
    res.setHeader("X-Call", Integer.toString(n));
    res.setContentType("application/octet-stream");
    res.setContentLength(LARGE);
    OutputStream out = res.getOutputStream();
    byte[] block = new byte[64 * 1024];
    for (int at = 0; at < LARGE; at += block.length) {
      if (at == 1024 * 1024) {
        out.flush();
        try {
          if (!midway.await(30, TimeUnit.SECONDS)) {
            throw new IOException("the test never let the large body go on");
          }
          if (dieMidway) {
            throw new IllegalStateException("the application fails midway");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      for (int i = 0; i < block.length; i++) {
        block[i] = (byte) (at + i);
      }
      out.write(block);
    }
  }

  /** The byte at {@code position} of a large body. */
  static byte largeByte(long position) {
    return (byte) position;
  }
}
