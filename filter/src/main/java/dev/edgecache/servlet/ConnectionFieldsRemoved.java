package dev.edgecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The request without the fields its {@code Connection} field names: those are meant for the
 * immediate connection only and are removed on receipt (RFC 9110 §7.6.1), before the key and the
 * variant are computed and before the servlet sees the request. Otherwise {@code Origin: x} with
 * {@code Connection: Origin} would select a variant by a field the origin never saw.
 *
 * <p>The fields that frame or route the message ({@code Host}, {@code Content-Length},
 * {@code Transfer-Encoding}) stay: the container has already read the message by them.
 */
final class ConnectionFieldsRemoved extends FieldFilteringRequest {
  private static final Set<String> KEPT = Set.of("host", "content-length", "transfer-encoding",
      "connection", "close", "keep-alive", "upgrade");

  private final Set<String> named;

  private ConnectionFieldsRemoved(HttpServletRequest request, Set<String> named, java.time.Clock clock) {
    super(request, clock);
    this.named = named;
  }

  /** The request itself when its {@code Connection} names no field to remove; else the wrapper. */
  static HttpServletRequest of(HttpServletRequest request, java.time.Clock clock) {
    Enumeration<String> values = request.getHeaders("Connection");
    if (values == null || !values.hasMoreElements()) {
      return request;
    }
    Set<String> named = new HashSet<>();
    while (values.hasMoreElements()) {
      for (String token : values.nextElement().split(",")) {
        String lower = token.trim().toLowerCase(Locale.ROOT);
        if (!lower.isEmpty() && !KEPT.contains(lower)) {
          named.add(lower);
        }
      }
    }
    return named.isEmpty() ? request : new ConnectionFieldsRemoved(request, Set.copyOf(named), clock);
  }

  @Override
  boolean hidden(String lower) {
    return named.contains(lower);
  }
}
