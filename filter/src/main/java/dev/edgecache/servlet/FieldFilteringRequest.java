package dev.edgecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request seen with some of its fields hidden and others added in their place; every way a
 * servlet can read a field (by name, all names, as a date, as a number, as cookies) agrees.
 */
abstract class FieldFilteringRequest extends HttpServletRequestWrapper {
  private final java.time.Clock clock;

  /** @param clock what a date field with a two-digit year is read against (RFC 9110 §5.6.7) */
  FieldFilteringRequest(HttpServletRequest request, java.time.Clock clock) {
    super(request);
    this.clock = clock;
  }

  /** Whether the field of this lower-case name is hidden. */
  abstract boolean hidden(String lower);

  /** Fields added, by lower-case name; they replace any of the same name. */
  Map<String, String> added() {
    return Map.of();
  }

  @Override
  public String getHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String add = added().get(lower);
    if (add != null) {
      return add;
    }
    return hidden(lower) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String add = added().get(lower);
    if (add != null) {
      return Collections.enumeration(List.of(add));
    }
    return hidden(lower) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (String n : Collections.list(super.getHeaderNames())) {
      String lower = n.toLowerCase(Locale.ROOT);
      if (!hidden(lower) && !added().containsKey(lower)) {
        names.add(n);
      }
    }
    names.addAll(added().keySet());
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    String v = getHeader(name);
    if (v == null) {
      return -1;
    }
    return dev.edgecache.http.HttpDates.parse(v, clock.millis())
        .orElseThrow(() -> new IllegalArgumentException("not a date: " + v));
  }

  @Override
  public int getIntHeader(String name) {
    String v = getHeader(name);
    return v == null ? -1 : Integer.parseInt(v.trim());
  }

  @Override
  public jakarta.servlet.http.Cookie[] getCookies() {
    return hidden("cookie") ? null : super.getCookies();
  }
}
