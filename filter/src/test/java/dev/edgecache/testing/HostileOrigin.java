package dev.edgecache.testing;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that does what an attacker would like an origin to do: it reflects into its answer
 * what the request carried (cookies, the raw target, override and CORS fields, the body), answers
 * with whatever caching fields and status the query asks for, can hold its first answer at a gate,
 * and records every request it saw. Scripted by the query string, which it reads itself (never
 * through {@code getParameter}, which would read a GET's body as form fields):
 *
 * <ul>
 *   <li>{@code cc=}: the {@code Cache-Control} to send; {@code status=}: the status;
 *       {@code etag=}: an {@code ETag} (the 304 for a matching {@code If-None-Match} carries
 *       {@code cc304=} as its {@code Cache-Control}); {@code vary=}: a {@code Vary};
 *       {@code gzip=}: the body gzip-encoded, with {@code Content-Encoding: gzip};
 *       {@code cdncc=}: a {@code CDN-Cache-Control}; {@code age=}: an {@code Age};
 *       {@code fail-after=N}: from the N+1st request for the path on, a 503 with no caching fields;
 *       {@code unreachable-after=N}: from the N+1st request on, the 502 of a proxy whose origin
 *       cannot be reached (the request marked {@code EdgeCacheFilter.ORIGIN_UNREACHABLE});
 *       {@code truncate=}: a {@code Content-Length} twice what is written, then the answer dies;
 *       {@code pad=N}: an {@code X-Padding} field of N bytes (a head too large to pass on);
 *       {@code coding=C}: for a client whose {@code Accept-Encoding} names C, the body as it is,
 *       labelled {@code Content-Encoding: C} (a coding the cache has no name for).
 * </ul>
 */
public class HostileOrigin extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** One request as the origin saw it. */
  public record Seen(String method, String uri, String query, Map<String, String> fields, String body) {}

  public final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  /** The first request for a path waits here until the test opens it. */
  public final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

  public int calls(String path) {
    AtomicInteger n = calls.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
    String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    Map<String, String> fields = new HashMap<>();
    for (String name : java.util.Collections.list(req.getHeaderNames())) {
      fields.put(name.toLowerCase(java.util.Locale.ROOT), req.getHeader(name));
    }
    seen.add(new Seen(req.getMethod(), req.getRequestURI(), req.getQueryString(), fields, body));
    int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    CountDownLatch gate = gates.get(path);
    if (gate != null && n == 1) {
      try {
        if (!gate.await(20, TimeUnit.SECONDS)) {
          throw new ServletException("the test never opened the gate of " + path);
        }
      } catch (InterruptedException e) {
        throw new ServletException(e);
      }
    }
    Map<String, String> q = query(req.getQueryString());
    if (q.containsKey("fail-after") && n > Integer.parseInt(q.get("fail-after"))) {
      res.setStatus(503);
      res.setContentType("text/plain");
      res.getWriter().print("origin down");
      return;
    }
    if (q.containsKey("unreachable-after") && n > Integer.parseInt(q.get("unreachable-after"))) {
      req.setAttribute(dev.edgecache.servlet.EdgeCacheFilter.ORIGIN_UNREACHABLE, "connection refused");
      res.setStatus(502);
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain");
      res.getWriter().print("origin unreachable");
      return;
    }
    String etag = q.get("etag");
    if (etag != null && ("\"" + etag + "\"").equals(req.getHeader("If-None-Match"))) {
      res.setStatus(304);
      res.setHeader("ETag", "\"" + etag + "\"");
      if (q.containsKey("cc304")) {
        res.setHeader("Cache-Control", q.get("cc304"));
      }
      return;
    }
    res.setStatus(Integer.parseInt(q.getOrDefault("status", "200")));
    if (q.containsKey("cc")) {
      res.setHeader("Cache-Control", q.get("cc"));
    }
    if (etag != null) {
      res.setHeader("ETag", "\"" + etag + "\"");
    }
    if (q.containsKey("cdncc")) {
      res.setHeader("CDN-Cache-Control", q.get("cdncc"));
    }
    if (q.containsKey("age")) {
      res.setHeader("Age", q.get("age"));
    }
    if (q.containsKey("vary")) {
      res.setHeader("Vary", q.get("vary"));
    }
    if (q.containsKey("pad")) {
      res.setHeader("X-Padding", "p".repeat(Integer.parseInt(q.get("pad"))));
    }
    String origin = req.getHeader("Origin");
    if (origin != null) {
      res.setHeader("Access-Control-Allow-Origin", origin);
    }
    res.setContentType("text/plain");
    String text = "n=" + n + " uri=" + req.getRequestURI()
        + " cookie=" + orNone(req.getHeader("Cookie"))
        + " origin=" + orNone(origin)
        + " override=" + orNone(req.getHeader("X-HTTP-Method-Override"))
        + " original-url=" + orNone(req.getHeader("X-Original-URL"))
        + " body=" + (body.isEmpty() ? "none" : body);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String accepted = req.getHeader("Accept-Encoding");
    if (q.containsKey("coding") && accepted != null && accepted.contains(q.get("coding"))) {
      res.setHeader("Content-Encoding", q.get("coding"));
    } else if (q.containsKey("gzip")) {
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(zipped)) {
        z.write(bytes);
      }
      bytes = zipped.toByteArray();
      res.setHeader("Content-Encoding", "gzip");
    }
    if (q.containsKey("truncate")) {
      res.setContentLength(bytes.length * 2);
      res.getOutputStream().write(bytes);
      res.flushBuffer();
      throw new ServletException("the origin dies halfway through its body");
    }
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }

  private static String orNone(String v) {
    return v == null ? "none" : v;
  }

  private static Map<String, String> query(String query) {
    Map<String, String> out = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}
