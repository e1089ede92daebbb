package dev.edgecache.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a response to an unsafe method invalidates (RFC 9111 §4.4): for a non-error status (2xx or
 * 3xx), the target URI and the URIs in {@code Location} and {@code Content-Location} when they are
 * on the target's own origin (a response must not flush another site's objects). A safe method
 * (OPTIONS, PROPFIND...) invalidates nothing (RFC 9110 §9.2.1), or anyone could flush any object
 * with a preflight. Pure.
 */
public final class Invalidation {
  /** Longer references are not resolved. */
  private static final int MAX_REFERENCE = 8192;

  private Invalidation() {}

  /**
   * The keys to invalidate.
   *
   * @param method the request method
   * @param target the request's own key
   * @param status the response status
   * @param location the response's {@code Location}, or null
   * @param contentLocation the response's {@code Content-Location}, or null
   */
  public static List<RequestKey> targets(String method, RequestKey target, int status, String location,
      String contentLocation) {
    if (!invalidates(method, status)) {
      return List.of();
    }
    List<RequestKey> out = new ArrayList<>(3);
    out.add(target);
    sameOrigin(target, location).ifPresent(out::add);
    sameOrigin(target, contentLocation).ifPresent(out::add);
    return out;
  }

  /**
   * Whether a response of {@code status} to {@code method} invalidates anything: an unsafe method
   * and a non-error status. Asked first, so that a caller need not make the target's key otherwise.
   */
  public static boolean invalidates(String method, int status) {
    return status >= 200 && status < 400 && !Methods.isSafe(method);
  }

  /** The key of a URI reference from a response, if it is on the request's own origin. */
  static Optional<RequestKey> sameOrigin(RequestKey base, String reference) {
    if (reference == null || reference.length() > MAX_REFERENCE) {
      return Optional.empty();
    }
    try {
      URI resolved = URI.create(base.text()).resolve(reference.trim());
      if (!base.scheme().equalsIgnoreCase(resolved.getScheme())
          || resolved.getHost() == null || !base.host().equalsIgnoreCase(resolved.getHost())
          || normalPort(base.scheme(), base.port()) != normalPort(resolved.getScheme(), resolved.getPort())) {
        return Optional.empty();
      }
      return Optional.of(new RequestKey(base.scheme(), base.host(), base.port(),
          resolved.getPath(), resolved.getRawQuery()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int normalPort(String scheme, int port) {
    return port >= 0 ? port : ("https".equalsIgnoreCase(scheme) ? 443 : 80);
  }
}
