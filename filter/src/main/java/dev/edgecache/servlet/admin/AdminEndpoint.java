package dev.edgecache.servlet.admin;

import dev.edgecache.EdgeCache;
import dev.edgecache.http.RequestKey;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.servlet.FilterStats;
import dev.edgecache.servlet.ServedAuthorities;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin path of the filter: {@code POST <admin-path>purge} with form fields ({@code url=},
 * {@code tag=}, {@code prefix=}, {@code host=}, {@code all=true}, and {@code soft=true} for a soft
 * purge) or a JSON batch ({@link PurgeOrder}), answered in JSON item by item;
 * {@code GET <admin-path>stats} as JSON; the pages an application adds
 * ({@code EdgeCacheFilter.addAdminPage}); and the {@code PURGE} method on any URL (soft with
 * {@code Fastly-Soft-Purge} or {@code Soft-Purge} set to {@code 1} or {@code true}). Every call
 * needs {@code Authorization: Bearer <token>}, compared in constant time; without a configured
 * token the admin path does not exist (its requests go to the application like any other) and
 * {@code PURGE} is refused. {@code BAN} is refused too: it is no method of this edge's, and it
 * must never reach the application as if it were.
 *
 * <p>The token never leaves the edge: a request that bears it, or that names the admin path in
 * any case, is answered here (404 if it is no admin call), never passed to the application.
 *
 * <p>The filter's own: it is given what it needs from the servlet layer (the key of a request,
 * where purges are counted), and calls nothing of it. Thread-safe.
 */
public final class AdminEndpoint {
  private final EdgeCache cache;
  private final Function<HttpServletRequest, RequestKey> keys;
  private final ServedAuthorities served;
  private final FilterSettings settings;
  private final FilterStats stats;
  private final Consumer<String> purgeCounted;
  private final Supplier<String> prometheusText;
  private final byte[] token;
  /** Pages added by the application, by name: a media type and what writes the body. */
  private final java.util.Map<String, Page> pages = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A page of the admin path: its media type and its body, made at each request.
   *
   * @param mediaType the page's {@code Content-Type}
   * @param body makes the page's text at each request
   */
  public record Page(String mediaType, Supplier<String> body) {}

  private final OutcomeHistory history;
  /** When the endpoint was made, by the cache's clock: the filter's start, for its uptime. */
  private final long startedAtMillis;

  /**
   * @param keys the cache key of a request, as the filter makes it (for {@code PURGE})
   * @param served the schemes and ports a purged URL is purged under
   * @param cache the cache purged
   * @param settings the admin path and token, and the key's settings for purged URLs
   * @param stats the counters {@code stats} answers with
   * @param purgeCounted told the field of each purge item ({@code url}, {@code tag}...)
   * @param history the status page's chart; null without one
   * @param prometheusText the meters as Prometheus text; it gives null without a registry
   */
  public AdminEndpoint(Function<HttpServletRequest, RequestKey> keys, ServedAuthorities served, EdgeCache cache,
      FilterSettings settings, FilterStats stats, Consumer<String> purgeCounted, OutcomeHistory history,
      Supplier<String> prometheusText) {
    this.keys = keys;
    this.served = served;
    this.purgeCounted = purgeCounted;
    this.prometheusText = prometheusText;
    this.history = history;
    this.cache = cache;
    this.settings = settings;
    this.stats = stats;
    this.token = settings.adminToken() == null ? null : settings.adminToken().getBytes(StandardCharsets.UTF_8);
    this.startedAtMillis = cache.clock().millis();
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

  /**
   * Whether the edge answers the request itself: {@code PURGE} or {@code BAN} on any URL, and,
   * with a token configured, a call under the admin path (in any case) or any request that bears
   * the token.
   */
  public boolean handles(HttpServletRequest req) {
    String method = req.getMethod();
    if ("PURGE".equals(method) || "BAN".equals(method)) {
      return true;
    }
    return token != null && (underAdminPath(req) || authorized(req.getHeader("Authorization")));
  }

  private boolean underAdminPath(HttpServletRequest req) {
    String path = path(req);
    String admin = settings.adminPath();
    return path.regionMatches(true, 0, admin, 0, admin.length());
  }

  /** Answers a request it {@linkplain #handles handles}. */
  public void handle(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Cache-Control", "no-store");
    if ("BAN".equals(req.getMethod())) {
      res.setHeader("Allow", "PURGE");
      json(res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "{\"error\":\"BAN is not a method of this edge: purge by"
          + " URL, tag, prefix or host\"}");
      return;
    }
    if (token == null) {
      json(res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "{\"error\":\"purging is not enabled\"}");
      return;
    }
    boolean underAdminPath = path(req).startsWith(settings.adminPath());
    if ("GET".equals(req.getMethod()) && underAdminPath
        && StatusPage.isItsPath(path(req).substring(settings.adminPath().length()))) {
      // the page holds no figure: it asks for the token and reads them from stats with it
      StatusPage.serve(res);
      return;
    }
    if (!authorized(req.getHeader("Authorization"))) {
      res.setHeader("WWW-Authenticate", "Bearer");
      json(res, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"a valid bearer token is required\"}");
      return;
    }
    if ("PURGE".equals(req.getMethod())) {
      PurgeOrder order;
      try {
        order = PurgeOrder.ofKey(keys.apply(req), PurgeOrder.yesOrNo(req.getHeader("Fastly-Soft-Purge"), "Fastly-Soft-Purge")
            || PurgeOrder.yesOrNo(req.getHeader("Soft-Purge"), "Soft-Purge"));
      } catch (PurgeOrder.Refused e) {
        json(res, e.status, "{\"error\":" + Json.quote(e.getMessage()) + "}");
        return;
      }
      count(order);
      answer(res, order.run(cache, served));
      return;
    }
    if (!underAdminPath) {
      // the token on another path, or the admin path in another case: answered, never passed on
      json(res, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"unknown admin call\"}");
      return;
    }
    String action = path(req).substring(settings.adminPath().length());
    if (action.equals("stats") && "GET".equals(req.getMethod())) {
      json(res, HttpServletResponse.SC_OK, statsJson());
    } else if (action.equals("metrics") && "GET".equals(req.getMethod())) {
      metrics(res);
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
    PurgeOrder order;
    try {
      order = isJson(req.getContentType()) ? PurgeOrder.ofJson(body(req), settings)
          : PurgeOrder.ofForm(req.getParameterMap(), settings);
    } catch (PurgeOrder.Refused e) {
      json(res, e.status, "{\"error\":" + Json.quote(e.getMessage()) + "}");
      return;
    }
    count(order);
    answer(res, order.run(cache, served));
  }

  /**
   * Prometheus text, when Micrometer is here and the application put a Prometheus registry in
   * its global registry (the runnable edge does); the filter's meters are bound there at init.
   */
  private void metrics(HttpServletResponse res) throws IOException {
    String text = prometheusText.get();
    if (text == null) {
      json(res, HttpServletResponse.SC_NOT_FOUND, "{\"error\":\"no Prometheus registry: add micrometer-registry-prometheus"
          + " and put a PrometheusMeterRegistry in Metrics.globalRegistry\"}");
      return;
    }
    write(res, HttpServletResponse.SC_OK, PROMETHEUS_TEXT, text);
  }

  /** The media type of Prometheus's text format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private void count(PurgeOrder order) {
    for (PurgeOrder.Item item : order.items) {
      purgeCounted.accept(item.kind().field);
    }
  }

  /** The filter's counters and what the cache is doing now, as JSON. */
  String statsJson() {
    String counters = countersJson(stats);
    dev.edgecache.CacheActivity a = cache.activity();
    dev.edgecache.spi.StoreFigures f = cache.storeFigures();
    FilterStats.LastPurge last = stats.lastPurge();
    return counters.substring(0, counters.length() - 1) + ",\"cache\":" + Json.quote(settings.cacheName())
        + ",\"version\":" + Json.quote(dev.edgecache.EdgeCacheVersion.get())
        + ",\"startedAtMillis\":" + startedAtMillis + ",\"nowMillis\":" + cache.clock().millis()
        + ",\"lastPurge\":" + (last == null ? "null"
            : "{\"atMillis\":" + last.atMillis() + ",\"kind\":" + Json.quote(last.kind()) + "}")
        + ",\"activity\":{\"keysInFlight\":" + a.keysInFlight()
        + ",\"fills\":" + a.fills() + ",\"waiters\":" + a.waiters() + "}"
        + ",\"store\":{\"kind\":" + Json.quote(f.kind()) + ",\"available\":" + f.available()
        + ",\"records\":" + f.records() + ",\"objects\":" + f.objects() + ",\"bytes\":" + f.bytes()
        + ",\"capacityBytes\":" + f.capacityBytes() + ",\"fileBytes\":" + f.fileBytes()
        + ",\"evictions\":" + f.evictions() + "}"
        + ",\"history\":" + (history == null ? "null" : history.toJson()) + "}";
  }

  private static void answer(HttpServletResponse res, PurgeOrder.Answer answer) throws IOException {
    json(res, answer.ok() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE, answer.json());
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
  }

  /** The request's body as UTF-8, refused past {@link PurgeOrder#MAX_BODY_BYTES}. */
  private static String body(HttpServletRequest req) throws IOException, PurgeOrder.Refused {
    if (req.getContentLengthLong() > PurgeOrder.MAX_BODY_BYTES) {
      throw new PurgeOrder.Refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "a purge body is " + PurgeOrder.MAX_BODY_BYTES + " bytes at most");
    }
    byte[] bytes = req.getInputStream().readNBytes(PurgeOrder.MAX_BODY_BYTES + 1);
    if (bytes.length > PurgeOrder.MAX_BODY_BYTES) {
      throw new PurgeOrder.Refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "a purge body is " + PurgeOrder.MAX_BODY_BYTES + " bytes at most");
    }
    java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    try {
      return utf8.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new PurgeOrder.Refused("a purge batch is UTF-8 JSON");
    }
  }

  private static String path(HttpServletRequest req) {
    return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
  }

  /** Adds a page under {@code name} ({@link #pageName}). */
  public void addPage(String name, Page page) {
    pages.put(pageName(name), page);
  }

  /** {@code name}, if it may name a page: lower-case letters, digits and hyphens, not taken. */
  public static String pageName(String name) {
    if (name.equals("stats") || name.equals("purge") || name.equals("metrics") || name.equals("status")
        || !name.matches("[a-z][a-z0-9-]*")) {
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

  /** The filter's counters as a JSON object. */
  private static String countersJson(FilterStats stats) {
    long[] buckets = stats.originLatencyBuckets();
    StringBuilder latency = new StringBuilder("[");
    for (int i = 0; i < buckets.length; i++) {
      latency.append(i == 0 ? "" : ",").append(buckets[i]);
    }
    return "{\"hits\":" + stats.hits() + ",\"misses\":" + stats.misses() + ",\"staleServed\":" + stats.staleServed()
        + ",\"collapsed\":" + stats.collapsed() + ",\"originRequests\":" + stats.originRequests()
        + ",\"originFills\":" + stats.originFills()
        + ",\"stored\":" + stats.stored() + ",\"bypassed\":" + stats.bypassed()
        + ",\"bytesFromCache\":" + stats.bytesFromCache() + ",\"bytesFromOrigin\":" + stats.bytesFromOrigin()
        + ",\"origin\":" + originJson(stats)
        + ",\"passes\":" + json(stats.passes()) + ",\"notStored\":" + json(stats.notStored()) + ",\"purges\":" + json(stats.purges())
        + ",\"originLatencyMillis\":{\"bounds\":" + java.util.Arrays.toString(FilterStats.LATENCY_BOUNDS_MILLIS).replace(" ", "")
        + ",\"counts\":" + latency.append(']') + ",\"sumNanos\":" + stats.originLatencyNanos() + "}}";
  }

  /** The origin's health: failures by kind, the last one, and responses by status class. */
  private static String originJson(FilterStats stats) {
    FilterStats.LastFailure last = stats.lastOriginFailure();
    return "{\"errors\":" + json(stats.originErrors()) + ",\"responses\":" + json(stats.originResponses())
        + ",\"lastError\":" + (last == null ? "null" : "{\"atMillis\":" + last.atMillis() + ",\"kind\":"
            + Json.quote(last.kind().label()) + ",\"why\":" + Json.quote(last.why()) + "}") + "}";
  }

  private static String json(java.util.Map<String, Long> counts) {
    StringBuilder out = new StringBuilder("{");
    counts.forEach((label, n) -> out.append(out.length() == 1 ? "" : ",").append(Json.quote(label)).append(':').append(n));
    return out.append('}').toString();
  }
}
