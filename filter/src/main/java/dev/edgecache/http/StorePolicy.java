package dev.edgecache.http;

import java.util.Set;

/**
 * Whether a shared cache may store a response (RFC 9111 §3), with the defaults of trusted caches
 * for cookies. Pure: every input is a value.
 */
public final class StorePolicy {
  /** Why a response is, or is not, stored; one enum feeds logs and {@code Cache-Status}. */
  public enum Decision {
    STORE,
    /** Only GET is filled (HEAD fills as a GET); every other method passes. */
    METHOD,
    /**
     * Not a final status this cache stores: 1xx, 206, 304, 400, 431, one without explicit
     * freshness that is not cacheable by default, or a transient error when errors are not kept.
     */
    STATUS,
    /**
     * {@code no-store} in the request or the response (§5.2.1.5, §5.2.2.5); the response's is
     * ignored beside {@code must-understand} for a status this cache understands (§5.2.2.3).
     */
    NO_STORE,
    /** Unqualified {@code private}: a shared cache must not store it (§5.2.2.7). */
    PRIVATE,
    /** The request had {@code Authorization} and the response did not allow sharing (§3.5). */
    AUTHORIZATION,
    /**
     * The request carried cookies, and the response neither said it may be shared
     * ({@code public}, {@code s-maxage}, {@code must-revalidate}) nor varied on {@code Cookie}.
     */
    COOKIE,
    /** The response sets a cookie, and the configuration does not store such responses. */
    SET_COOKIE,
    /** {@code Vary: *}, or a vary rule too long or malformed to key on. */
    VARY,
    /**
     * The response varies on {@code Accept-Encoding} and names a content coding that the variant
     * key does not tell apart ({@link AcceptEncoding#KNOWN}): requests of its variant need not
     * take it, so it is not stored (RFC 9111 §4.1).
     */
    CODING,
    /** The directives were too many to read safely. */
    DIRECTIVES,
    /** A field value with CR, LF or NUL: stored, it could inject a field (THREATS 21). */
    FIELD_VALUE,
    /**
     * The response's purge tags are more than {@code StoragePlan.MAX_TAG_BYTES} in all: stored,
     * the object could never be purged by those past the limit.
     */
    TAGS,
    /**
     * No freshness lifetime and no validator: nothing a later request could use without going to
     * the origin in full, so nothing is stored (and {@code stored} never claimed).
     */
    LIFETIME
  }

  /** Statuses that may be stored without explicit freshness (RFC 9110 §15.1), less 206. */
  static final Set<Integer> CACHEABLE_BY_DEFAULT =
      Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  /**
   * Statuses that describe the request rather than the resource (a malformed request, fields too
   * large for the origin): storing one would hand one client's mistake, or an attacker's chosen
   * one, to everyone (CPDoS: Nguyen et al., CCS 2019). Never stored.
   */
  static final Set<Integer> NEVER_STORED = Set.of(400, 431);

  /**
   * The statuses whose caching requirements this cache knows and keeps (RFC 9110 §15: the ones
   * cacheable by default, the redirects, and the server errors it caps), for {@code
   * must-understand} (RFC 9111 §5.2.2.3); a response with that directive and any other status is
   * not stored.
   */
  static final Set<Integer> UNDERSTOOD =
      Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 500, 501, 502, 503, 504);

  /** Error statuses that say something lasting about the resource; kept as long as it says. */
  static final Set<Integer> LASTING_ERRORS = Set.of(404, 410, 414, 501);

  /**
   * What a shared cache needs to know of the request.
   *
   * @param method the request method
   * @param directives the request's directives
   * @param authorization whether the request carried {@code Authorization}
   * @param cookie whether the request carried cookies that the deployment neither ignores nor
   *     keys on
   * @param rangeAsked whether the cache asked the origin for the client's one range: a 206 then
   *     answers the cache's own request and may be stored as partial content (RFC 9111 §3.3),
   *     heuristically cacheable as RFC 9110 §15.3.7 says
   */
  public record Request(String method, CacheControl directives, boolean authorization, boolean cookie,
      boolean rangeAsked) {
    /** A request for which the cache asked the origin for no range. */
    public Request(String method, CacheControl directives, boolean authorization, boolean cookie) {
      this(method, directives, authorization, cookie, false);
    }
  }

  /**
   * What a shared cache needs to know of the response.
   *
   * @param status the response status
   * @param directives the response's effective directives ({@link EdgeControl#effective})
   * @param explicitFreshness whether the response has max-age, s-maxage or Expires
   * @param setCookie whether the response has {@code Set-Cookie}
   * @param vary the response's vary rule
   */
  public record Response(int status, CacheControl directives, boolean explicitFreshness,
      boolean setCookie, VaryRule vary) {}

  private StorePolicy() {}

  /**
   * The decision for one response.
   *
   * @param request the request's side
   * @param response the response's side
   * @param storeSetCookie whether the configuration stores responses with {@code Set-Cookie}
   *     (the cookie itself is then never replayed)
   * @param storeErrors whether error statuses other than the lasting ones may be stored at all
   *     (for {@link #errorLifetime} seconds)
   */
  public static Decision decide(Request request, Response response, boolean storeSetCookie,
      boolean storeErrors) {
    CacheControl rq = request.directives();
    CacheControl rs = response.directives();
    int status = response.status();
    // QUERY's answers are stored under a key that holds its content (QueryContent)
    if (!"GET".equals(request.method()) && !"HEAD".equals(request.method()) && !"QUERY".equals(request.method())) {
      return Decision.METHOD;
    }
    if (rq.truncated() || rs.truncated()) {
      return Decision.DIRECTIVES;
    }
    if (rs.mustUnderstand() && !UNDERSTOOD.contains(status)) {
      return Decision.STATUS; // §5.2.2.3: only a cache that understands the status may store it
    }
    // §5.2.2.3: beside must-understand, the response's no-store is for the caches that do not
    // understand its status; the request's own no-store still holds
    if (rq.noStore() || (rs.noStore() && !rs.mustUnderstand())) {
      return Decision.NO_STORE;
    }
    if (rs.isPrivate()) {
      return Decision.PRIVATE;
    }
    // §3.5: a response to a request with credentials is shared only when it says it may be.
    boolean sayShared = rs.isPublic() || rs.sMaxAge().isPresent() || rs.mustRevalidate();
    if (request.authorization() && !sayShared) {
      return Decision.AUTHORIZATION;
    }
    // Cookies are credentials too, as Varnish's and Fastly's defaults treat them: a page built
    // for a cookie and marked only max-age would otherwise reach every other client.
    if (request.cookie() && !sayShared && !response.vary().names().contains("cookie")) {
      return Decision.COOKIE;
    }
    boolean partial = status == 206 && request.rangeAsked();
    if (status < 200 || (status == 206 && !partial) || status == 304 || status > 599 || NEVER_STORED.contains(status)) {
      return Decision.STATUS;
    }
    if (status >= 400 && !LASTING_ERRORS.contains(status) && !storeErrors) {
      return Decision.STATUS;
    }
    if (!CACHEABLE_BY_DEFAULT.contains(status) && !partial && !response.explicitFreshness() && !rs.isPublic()) {
      return Decision.STATUS;
    }
    if (response.setCookie() && !storeSetCookie) {
      return Decision.SET_COOKIE;
    }
    if (!response.vary().storable()) {
      return Decision.VARY;
    }
    return Decision.STORE;
  }

  /** Whether a status is an error kept at most {@link #errorLifetime}'s cap. */
  public static boolean isTransientError(int status) {
    return status >= 400 && !LASTING_ERRORS.contains(status);
  }

  /**
   * The lifetime to store a response for: its own, but for a transient error (400 and above, less
   * 404, 410, 414 and 501) at most {@code errorMaxAgeSeconds}, however long the origin says, as
   * CDNs cap negative caching. An origin that puts {@code Cache-Control} on every answer must
   * not have an outage cached for hours.
   */
  public static long errorLifetime(int status, long lifetimeSeconds, long errorMaxAgeSeconds) {
    return isTransientError(status) ? Math.min(lifetimeSeconds, errorMaxAgeSeconds) : lifetimeSeconds;
  }
}
