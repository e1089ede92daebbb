package dev.edgecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The request the cache sends to the origin to refresh a stored object: the client's request
 * without its own conditionals and ranges, with the stored validators instead
 * ({@code If-None-Match} from the {@code ETag}, {@code If-Modified-Since} from
 * {@code Last-Modified}, RFC 9111 §4.3.1). A background refresh also drops the client's
 * credentials and cookies, so that what it stores for everyone is nobody's private answer.
 */
final class RevalidationRequest extends FieldFilteringRequest {
  private static final Set<String> CLIENT_CONDITIONS = Set.of("if-none-match", "if-modified-since",
      "if-match", "if-unmodified-since", "if-range", "range");
  private static final Set<String> RANGE = Set.of("if-range", "range");
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

  private final Map<String, String> added = new LinkedHashMap<>();
  private final boolean background;
  private final boolean keepsRange;

  /**
   * @param keepsRange whether the client's {@code Range} and {@code If-Range} go on to the origin
   *     ({@link dev.edgecache.http.FetchPlan#forwardsRange})
   */
  RevalidationRequest(HttpServletRequest request, String etag, String lastModified, boolean background,
      boolean keepsRange, java.time.Clock clock) {
    super(request, clock);
    this.background = background;
    this.keepsRange = keepsRange;
    if (etag != null) {
      added.put("if-none-match", etag);
    }
    if (lastModified != null) {
      added.put("if-modified-since", lastModified);
    }
  }

  @Override
  boolean hidden(String lower) {
    return (CLIENT_CONDITIONS.contains(lower) && !(keepsRange && RANGE.contains(lower)))
        || (background && CREDENTIALS.contains(lower));
  }

  @Override
  Map<String, String> added() {
    return added;
  }
}
