package dev.edgecache.servlet;

import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.RequestKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin path of the filter: {@code POST <admin-path>purge} with {@code url=}, {@code tag=} or
 * {@code all=true} (and {@code soft=true} for a soft purge), {@code GET <admin-path>stats} as JSON,
 * the pages an application adds ({@link EdgeCacheFilter#addAdminPage}), and the {@code PURGE}
 * method on any URL. Every call needs {@code Authorization: Bearer <token>},
 * compared in constant time; without a configured token the admin path does not exist (its
 * requests go to the application like any other) and {@code PURGE} is refused.
 */
final class AdminEndpoint {
  private final EdgeCache cache;
  private final EdgeCacheFilter filter;
  private final FilterSettings settings;
  private final FilterStats stats;
  private final byte[] token;
  /** Pages added by the application, by name: a media type and what writes the body. */
  private final java.util.Map<String, Page> pages = new java.util.concurrent.ConcurrentHashMap<>();

  /** A page of the admin path: its media type and its body, made at each request. */
  record Page(String mediaType, java.util.function.Supplier<String> body) {}

  AdminEndpoint(EdgeCacheFilter filter, EdgeCache cache, FilterSettings settings, FilterStats stats) {
    this.filter = filter;
    this.cache = cache;
    this.settings = settings;
    this.stats = stats;
    this.token = settings.adminToken() == null ? null : settings.adminToken().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code Authorization} is {@code Bearer <token>}: the scheme in any case (RFC 9110
   * §11.1), one space, then the token exactly, compared in constant time.
   */
  private boolean authorized(String given) {
    String scheme = "Bearer ";
    if (given == null || !given.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return false;
    }
    return MessageDigest.isEqual(token, given.substring(scheme.length()).getBytes(StandardCharsets.UTF_8));
  }

  boolean handles(HttpServletRequest req) {
    if ("PURGE".equals(req.getMethod())) {
      return true;
    }
    return token != null && path(req).startsWith(settings.adminPath());
  }

  void handle(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Cache-Control", "no-store");
    if (token == null) {
      json(res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "{\"error\":\"purging is not enabled\"}");
      return;
    }
    if (!authorized(req.getHeader("Authorization"))) {
      res.setHeader("WWW-Authenticate", "Bearer");
      json(res, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"a valid bearer token is required\"}");
      return;
    }
    if ("PURGE".equals(req.getMethod())) {
      boolean purged = cache.purge(filter.keyOf(req).cacheKey());
      json(res, HttpServletResponse.SC_OK, "{\"purged\":" + (purged ? 1 : 0) + "}");
      return;
    }
    String action = path(req).substring(settings.adminPath().length());
    if (action.equals("stats") && "GET".equals(req.getMethod())) {
      json(res, HttpServletResponse.SC_OK, stats.toJson());
    } else if (action.equals("purge") && "POST".equals(req.getMethod())) {
      purge(req, res);
    } else if (pages.containsKey(action) && "GET".equals(req.getMethod())) {
      Page page = pages.get(action);
      write(res, HttpServletResponse.SC_OK, page.mediaType(), page.body().get());
    } else {
      json(res, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"unknown admin call\"}");
    }
  }

  private void purge(HttpServletRequest req, HttpServletResponse res) throws IOException {
    boolean soft = "true".equals(req.getParameter("soft"));
    String url = req.getParameter("url");
    String tag = req.getParameter("tag");
    if ("true".equals(req.getParameter("all"))) {
      cache.purgeAll();
      json(res, HttpServletResponse.SC_OK, "{\"purged\":\"all\"}");
    } else if (tag != null) {
      try {
        WriteOptions.checkSurrogateKey(tag);
      } catch (IllegalArgumentException e) {
        json(res, HttpServletResponse.SC_BAD_REQUEST, "{\"error\":\"not a surrogate key\"}");
        return;
      }
      int n = soft ? cache.softPurgeSurrogateKey(tag) : cache.purgeSurrogateKey(tag);
      json(res, HttpServletResponse.SC_OK, "{\"purged\":" + n + "}");
    } else if (url != null) {
      RequestKey key;
      try {
        URI u = URI.create(url);
        if (u.getScheme() == null || u.getHost() == null) {
          throw new IllegalArgumentException("not absolute");
        }
        key = new RequestKey(u.getScheme(), u.getHost(), u.getPort(),
            u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath(),
            dev.edgecache.http.QueryKey.normalise(u.getRawQuery(), settings.keySortQuery(), settings.keyIgnoreParams()));
      } catch (IllegalArgumentException e) {
        json(res, HttpServletResponse.SC_BAD_REQUEST, "{\"error\":\"url must be an absolute http(s) URL\"}");
        return;
      }
      boolean purged = soft ? cache.softPurge(key.cacheKey()) : cache.purge(key.cacheKey());
      json(res, HttpServletResponse.SC_OK, "{\"purged\":" + (purged ? 1 : 0) + "}");
    } else {
      json(res, HttpServletResponse.SC_BAD_REQUEST, "{\"error\":\"give url=, tag= or all=true\"}");
    }
  }

  private static String path(HttpServletRequest req) {
    return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
  }

  void addPage(String name, Page page) {
    pages.put(pageName(name), page);
  }

  /** {@code name}, if it may name a page: lower-case letters, digits and hyphens, not taken. */
  static String pageName(String name) {
    if (name.equals("stats") || name.equals("purge") || !name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("not a name for an admin page: '" + name + "'");
    }
    return name;
  }

  private static void json(HttpServletResponse res, int status, String body) throws IOException {
    write(res, status, "application/json", body);
  }

  private static void write(HttpServletResponse res, int status, String mediaType, String body) throws IOException {
    res.setStatus(status);
    res.setContentType(mediaType);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
