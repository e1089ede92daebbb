package dev.edgecache.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A test origin: each path behaves in one way, and every call is counted per path. */
class OriginServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  /** Released by a test to let {@code /slow} finish. */
  volatile CountDownLatch slowGate = new CountDownLatch(0);
  /** Set by a test to make {@code /flaky} fail: "throw", "503" or null. */
  volatile String failure;

  /** The {@code Range} the last call of {@code /ranges} had, or null. */
  volatile String lastRange;
  /** How {@code /ranges} describes its 206: "honest", "unknown-length" ({@code /*}) or "lying" (a Content-Length that is not the range's). */
  volatile String rangesMode = "honest";

  int calls(String path) {
    AtomicInteger n = calls.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
    String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
    int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    if ("QUERY".equals(req.getMethod())) {
      if (path.equals("/query-slow")) {
        try {
          if (!slowGate.await(20, TimeUnit.SECONDS)) {
            throw new ServletException("the test never opened the gate");
          }
        } catch (InterruptedException e) {
          throw new ServletException(e);
        }
      }
      String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      text(res, "max-age=60", "query " + n + " type=" + req.getContentType() + " body=" + body);
      return;
    }
    if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
      res.setStatus(204);
      return;
    }
    switch (path) {
      case "/fresh" -> text(res, "max-age=60", "fresh " + n);
      // what the application was shown of the query: its string and its parameters' names
      case "/echo-query" -> text(res, "max-age=60",
          "query " + n + " " + req.getQueryString() + " " + new java.util.TreeSet<>(req.getParameterMap().keySet())
              + " " + req.getParameter("utm_source") + " " + java.util.Collections.list(req.getParameterNames()));
      case "/lang" -> {
        // serves English and German, by the client's locales (the container's reading of its
        // Accept-Language, best first); English for anything else
        String chosen = "en";
        for (java.util.Locale l : java.util.Collections.list(req.getLocales())) {
          if (l.getLanguage().equals("en") || l.getLanguage().equals("de")) {
            chosen = l.getLanguage();
            break;
          }
        }
        res.setHeader("Vary", "Accept-Language");
        res.setHeader("Content-Language", chosen);
        text(res, "max-age=60", "lang " + chosen + " " + n + " saw=" + req.getHeader("Accept-Language")
            + " locale=" + req.getLocale().toLanguageTag());
      }
      case "/ranges" -> ranges(req, res, n);
      case "/gated" -> {
        // nothing is written until the test opens the gate: other requests queue for the key
        try {
          if (!slowGate.await(20, TimeUnit.SECONDS)) {
            throw new ServletException("the test never opened the gate");
          }
        } catch (InterruptedException e) {
          throw new ServletException(e);
        }
        text(res, "max-age=60", "gated " + n);
      }
      case "/html-links", "/html-vary", "/text-links" -> {
        // stale at once, kept for revalidation by its validator, and answered whole each time
        res.setHeader("ETag", "\"h" + n + "\"");
        res.addHeader("Link", "</style.css>; rel=preload; as=style, </next>; rel=next");
        res.addHeader("Link", "<https://cdn.example>; rel=preconnect");
        if (path.equals("/html-vary")) {
          res.setHeader("Vary", "Cookie");
        }
        res.setContentType(path.startsWith("/html") ? "text/html;charset=utf-8" : "text/plain");
        res.setHeader("Cache-Control", "max-age=0");
        res.getWriter().print("page " + n);
      }
      case "/query" -> text(res, "max-age=60", "get " + n);
      case "/private" -> text(res, "private, max-age=60", "private " + n);
      case "/no-store" -> text(res, "no-store", "no-store " + n);
      case "/cookie" -> {
        res.addHeader("Set-Cookie", "session=" + n);
        text(res, "max-age=60", "cookie " + n);
      }
      case "/edge" -> {
        res.setHeader("Surrogate-Control", "max-age=60");
        res.setHeader("Surrogate-Key", "tag-a tag-b");
        text(res, "no-store", "edge " + n);
      }
      case "/cdn" -> {
        res.setHeader("CDN-Cache-Control", "max-age=60");
        text(res, "no-store", "cdn " + n);
      }
      case "/cdn-invalid" -> {
        res.setHeader("CDN-Cache-Control", "max-age=60, &&&");
        text(res, "no-store", "cdn-invalid " + n);
      }
      case "/etag" -> {
        res.setHeader("ETag", "\"v1\"");
        text(res, "max-age=60", "etag " + n);
      }
      case "/vary" -> {
        res.setHeader("Vary", "Accept-Language");
        text(res, "max-age=60", "lang " + req.getHeader("Accept-Language") + " " + n);
      }
      case "/digits" -> text(res, "max-age=60", "0123456789");
      case "/chunked-big" -> {
        // 2 MiB with no Content-Length, written in flushed pieces
        res.setHeader("Cache-Control", "max-age=60");
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < 32; i++) {
          res.getOutputStream().write(block);
          res.flushBuffer();
        }
      }
      case "/chunked-digits" -> {
        // 100 digits with no Content-Length, flushed midway: the length is known only at the end
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("text/plain");
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < 100; i++) {
          digits.append((char) ('0' + i % 10));
        }
        res.getOutputStream().write(digits.substring(0, 50).getBytes(StandardCharsets.US_ASCII));
        res.flushBuffer();
        res.getOutputStream().write(digits.substring(50).getBytes(StandardCharsets.US_ASCII));
      }
      case "/repeated" -> {
        res.addHeader("Link", "</a.css>; rel=preload");
        res.addHeader("Link", "</b.js>; rel=preload");
        text(res, "max-age=60", "repeated " + n);
      }
      case "/late-session" -> {
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("text/plain");
        res.getOutputStream().write("hello ".getBytes(StandardCharsets.US_ASCII));
        req.getSession(true); // the container adds its session cookie after the first write
        res.getOutputStream().write(("session " + n).getBytes(StandardCharsets.US_ASCII));
      }
      case "/heuristic" -> {
        res.setHeader("Last-Modified", dev.edgecache.http.HttpDates.format(System.currentTimeMillis() - 10_000_000L));
        res.setContentType("text/plain");
        res.getOutputStream().write(("heuristic " + n).getBytes(StandardCharsets.US_ASCII));
      }
      case "/reset" -> {
        res.getOutputStream().write("half-written error page".getBytes(StandardCharsets.US_ASCII));
        res.reset();
        text(res, "max-age=60", "clean " + n);
      }
      case "/async", "/async-around" -> {
        // "/async" writes through the filter's wrappers; "/async-around" to the original response
        jakarta.servlet.AsyncContext async = path.equals("/async") ? req.startAsync(req, res) : req.startAsync();
        new Thread(() -> {
          try {
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            text(r, "max-age=60", path.substring(1) + " " + n);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } finally {
            async.complete();
          }
        }).start();
      }
      case "/garbage" -> {
        res.addHeader("Cache-Control", "max-age=\"10\", =, ,,\"");
        res.addHeader("Cache-Control", "public, max-age=-1");
        res.addHeader("Expires", "0");
        res.addHeader("Age", "-5");
        res.setContentType("text/plain");
        res.getOutputStream().write(("garbage " + n).getBytes(StandardCharsets.US_ASCII));
      }
      case "/swr" -> {
        // Stale on arrival (Age 100 > max-age 60), usable while revalidating for ten minutes.
        res.setHeader("Age", "100");
        String cookie = req.getHeader("Cookie");
        text(res, "max-age=60, stale-while-revalidate=600", "swr " + n + " cookie=" + (cookie == null ? "none" : cookie));
      }
      case "/validate" -> {
        res.setHeader("ETag", "\"e1\"");
        if ("\"e1\"".equals(req.getHeader("If-None-Match"))) {
          res.setHeader("Cache-Control", "max-age=60");
          res.setStatus(304);
          return;
        }
        res.setHeader("Age", "100"); // stale on arrival, no stale window: must revalidate
        text(res, "max-age=60", "validated body " + n);
      }
      case "/writer" -> {
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("text/plain; charset=UTF-8");
        res.getWriter().print("caf\u00e9 " + n);
      }
      case "/slow" -> {
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentType("text/plain");
        res.getOutputStream().write("first;".getBytes(StandardCharsets.US_ASCII));
        res.flushBuffer();
        try {
          if (!slowGate.await(20, TimeUnit.SECONDS)) {
            throw new ServletException("the test never opened the gate");
          }
        } catch (InterruptedException e) {
          throw new ServletException(e);
        }
        res.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
      }
      case "/truncated" -> {
        res.setHeader("Cache-Control", "max-age=60");
        res.setContentLength(100);
        res.getOutputStream().write(new byte[50]);
        res.flushBuffer();
        throw new ServletException("the origin died midway");
      }
      case "/flaky" -> {
        String f = failure;
        if ("throw".equals(f)) {
          throw new ServletException("origin down");
        }
        if ("503".equals(f)) {
          res.setStatus(503);
          text(res, "no-store", "unavailable");
          return;
        }
        // Already stale on arrival (Age 100 > max-age 60), usable if error for ten minutes.
        res.setHeader("Age", "100");
        text(res, "max-age=60, stale-if-error=600", "flaky " + n);
      }
      case "/missing" -> {
        // a 404 that says nothing of its freshness
        res.setStatus(404);
        res.setContentType("text/plain");
        res.getWriter().write("missing " + n);
      }
      case "/forbidden" -> {
        res.setStatus(403);
        text(res, "max-age=60", "forbidden " + n);
      }
      default -> {
        res.setStatus(404);
        text(res, "no-store", "not found");
      }
    }
  }

  /** Twenty bytes, and a single byte range of them when asked (RFC 9110 §14), as a file server answers. */
  private void ranges(HttpServletRequest req, HttpServletResponse res, int n) throws IOException {
    byte[] all = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    String range = req.getHeader("Range");
    lastRange = range;
    res.setHeader("Cache-Control", "max-age=60");
    res.setHeader("ETag", "\"r1\"");
    res.setHeader("X-Call", Integer.toString(n));
    res.setContentType("application/octet-stream");
    String ifRange = req.getHeader("If-Range");
    dev.edgecache.http.ByteRanges.Decision d = dev.edgecache.http.ByteRanges.decide(range, all.length, 1);
    if (d.outcome() != dev.edgecache.http.ByteRanges.Outcome.PARTIAL || (ifRange != null && !ifRange.equals("\"r1\""))) {
      res.setContentLength(all.length);
      res.getOutputStream().write(all);
      return;
    }
    dev.edgecache.http.ByteRanges.Range r = d.ranges().get(0);
    res.setStatus(206);
    res.setHeader("Content-Range", "bytes " + r.first() + "-" + r.last() + "/"
        + ("unknown-length".equals(rangesMode) ? "*" : all.length));
    res.setContentLength((int) r.length() + ("lying".equals(rangesMode) ? 1 : 0));
    res.getOutputStream().write(all, (int) r.first(), (int) r.length() + ("lying".equals(rangesMode) ? 1 : 0));
  }

  private static void text(HttpServletResponse res, String cacheControl, String body) throws IOException {
    res.setHeader("Cache-Control", cacheControl);
    res.setContentType("text/plain");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
