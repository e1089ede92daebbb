package dev.edgecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request the cache sends to the origin to refresh a stored object: the client's request
 * without its own conditionals and ranges, with the stored validators instead
 * ({@code If-None-Match} from the {@code ETag}, {@code If-Modified-Since} from
 * {@code Last-Modified}, RFC 9111 §4.3.1). A background refresh also drops the client's
 * credentials and cookies, so that what it stores for everyone is nobody's private answer.
 */
final class RevalidationRequest extends HttpServletRequestWrapper {
  private static final Set<String> CLIENT_CONDITIONS = Set.of("if-none-match", "if-modified-since",
      "if-match", "if-unmodified-since", "if-range", "range");
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

  private final Map<String, String> added = new LinkedHashMap<>();
  private final boolean background;

  RevalidationRequest(HttpServletRequest request, String etag, String lastModified, boolean background) {
    super(request);
    this.background = background;
    if (etag != null) {
      added.put("if-none-match", etag);
    }
    if (lastModified != null) {
      added.put("if-modified-since", lastModified);
    }
  }

  private boolean hidden(String lower) {
    return CLIENT_CONDITIONS.contains(lower) || (background && CREDENTIALS.contains(lower));
  }

  @Override
  public String getHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (added.containsKey(lower)) {
      return added.get(lower);
    }
    return hidden(lower) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (added.containsKey(lower)) {
      return Collections.enumeration(List.of(added.get(lower)));
    }
    return hidden(lower) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (String n : Collections.list(super.getHeaderNames())) {
      if (!hidden(n.toLowerCase(Locale.ROOT))) {
        names.add(n);
      }
    }
    names.addAll(added.keySet());
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    String v = getHeader(name);
    if (v == null) {
      return -1;
    }
    return dev.edgecache.http.HttpDates.parse(v, System.currentTimeMillis())
        .orElseThrow(() -> new IllegalArgumentException("not a date: " + v));
  }

  @Override
  public int getIntHeader(String name) {
    String v = getHeader(name);
    return v == null ? -1 : Integer.parseInt(v.trim());
  }

  @Override
  public jakarta.servlet.http.Cookie[] getCookies() {
    return background ? null : super.getCookies();
  }
}
