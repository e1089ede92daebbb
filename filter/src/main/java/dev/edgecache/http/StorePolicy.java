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
    /** Not a final status this cache stores: 1xx, 206, 304, or one without explicit freshness. */
    STATUS,
    /** {@code no-store} in the request or the response (§5.2.1.5, §5.2.2.5). */
    NO_STORE,
    /** Unqualified {@code private}: a shared cache must not store it (§5.2.2.7). */
    PRIVATE,
    /** The request had {@code Authorization} and the response did not allow sharing (§3.5). */
    AUTHORIZATION,
    /** The response sets a cookie, and the configuration does not store such responses. */
    SET_COOKIE,
    /** {@code Vary: *}, or a vary rule too long or malformed to key on. */
    VARY,
    /** The directives were too many to read safely. */
    DIRECTIVES
  }

  /** Statuses that may be stored without explicit freshness (RFC 9110 §15.1), less 206. */
  static final Set<Integer> CACHEABLE_BY_DEFAULT =
      Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  private StorePolicy() {}

  /**
   * The decision for one response.
   *
   * @param method the request method
   * @param request the request's directives
   * @param authorization whether the request carried {@code Authorization}
   * @param status the response status
   * @param response the response's effective directives ({@link EdgeControl#effective})
   * @param explicitFreshness whether the response has max-age, s-maxage or Expires
   * @param setCookie whether the response has {@code Set-Cookie}
   * @param storeSetCookie whether the configuration stores responses with {@code Set-Cookie}
   *     (the cookie itself is then never replayed)
   * @param vary the response's vary rule
   */
  public static Decision decide(String method, CacheControl request, boolean authorization,
      int status, CacheControl response, boolean explicitFreshness, boolean setCookie,
      boolean storeSetCookie, VaryRule vary) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Decision.METHOD;
    }
    if (request.truncated() || response.truncated()) {
      return Decision.DIRECTIVES;
    }
    if (request.noStore() || response.noStore()) {
      return Decision.NO_STORE;
    }
    if (response.isPrivate()) {
      return Decision.PRIVATE;
    }
    if (authorization && !(response.isPublic() || response.sMaxAge().isPresent()
        || response.mustRevalidate())) {
      return Decision.AUTHORIZATION;
    }
    if (status < 200 || status == 206 || status == 304 || status > 599) {
      return Decision.STATUS;
    }
    if (!CACHEABLE_BY_DEFAULT.contains(status) && !explicitFreshness && !response.isPublic()) {
      return Decision.STATUS;
    }
    if (setCookie && !storeSetCookie) {
      return Decision.SET_COOKIE;
    }
    if (!vary.storable()) {
      return Decision.VARY;
    }
    return Decision.STORE;
  }
}
