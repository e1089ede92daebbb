package dev.edgecache.http;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The directives of {@code Cache-Control} field values (RFC 9111 §5.2), of a request or a
 * response. Immutable.
 *
 * <p>Parsing is tolerant and never throws: names are case-insensitive, spaces and empty list
 * members are skipped, quoted values are unescaped, and a member that does not parse is ignored.
 * Where a directive appears twice with different values, the more restrictive wins (the smaller
 * age). A {@code max-age} or {@code s-maxage} whose value is not delta-seconds (RFC 9111 §1.2.2:
 * digits only, so not {@code -1}, {@code 1e3} or the quoted {@code "10"}) makes the response stale
 * (zero), as §4.2.1 allows for invalid freshness information; values past 2^31 are clamped to
 * 2^31. At most {@value #MAX_DIRECTIVES} directives are read; {@link #truncated()} says when more
 * were there, and a cache should then not rely on the field (bypass).
 *
 * <p>Directive names that mislead: {@code no-cache} does not forbid storing, only using a stored
 * response without revalidation; {@code no-store} forbids storing; {@code private} forbids a
 * shared cache from storing (with field names, only those fields); {@code must-revalidate} forbids
 * serving stale, including stale-if-error.
 */
public final class CacheControl {
  /** The largest delta-seconds value kept: 2^31 (RFC 9111 §1.2.2). */
  public static final long DELTA_SECONDS_MAX = 2_147_483_648L;
  /** The most directives read from one message. */
  public static final int MAX_DIRECTIVES = 64;

  /** No directives. */
  public static final CacheControl EMPTY = new Builder().build();

  private final OptionalLong maxAge;
  private final OptionalLong sMaxAge;
  private final OptionalLong staleWhileRevalidate;
  private final OptionalLong staleIfError;
  private final OptionalLong maxStale;
  private final OptionalLong minFresh;
  private final boolean noStore;
  private final boolean noCache;
  private final Set<String> noCacheFields;
  private final boolean isPrivate;
  private final Set<String> privateFields;
  private final boolean isPublic;
  private final boolean mustRevalidate;
  private final boolean proxyRevalidate;
  private final boolean noTransform;
  private final boolean onlyIfCached;
  private final boolean immutable;
  private final boolean mustUnderstand;
  private final boolean truncated;

  private CacheControl(Builder b) {
    maxAge = b.maxAge;
    sMaxAge = b.sMaxAge;
    staleWhileRevalidate = b.staleWhileRevalidate;
    staleIfError = b.staleIfError;
    maxStale = b.maxStale;
    minFresh = b.minFresh;
    noStore = b.noStore;
    mustUnderstand = b.mustUnderstand;
    noCache = b.noCache;
    noCacheFields = Collections.unmodifiableSet(new LinkedHashSet<>(b.noCacheFields));
    isPrivate = b.isPrivate;
    privateFields = Collections.unmodifiableSet(new LinkedHashSet<>(b.privateFields));
    isPublic = b.isPublic;
    mustRevalidate = b.mustRevalidate;
    proxyRevalidate = b.proxyRevalidate;
    noTransform = b.noTransform;
    onlyIfCached = b.onlyIfCached;
    immutable = b.immutable;
    truncated = b.truncated;
  }

  /** Parses one field value. Null means absent. */
  public static CacheControl parse(String fieldValue) {
    return fieldValue == null ? EMPTY : parse(List.of(fieldValue));
  }

  /** Parses every line of the field, as one comma-separated list (RFC 9110 §5.3). */
  public static CacheControl parse(List<String> fieldValues) {
    Objects.requireNonNull(fieldValues, "fieldValues");
    Builder b = new Builder();
    int count = 0;
    for (String value : fieldValues) {
      if (value == null) {
        continue;
      }
      Scanner s = new Scanner(value);
      while (s.nextMember()) {
        if (++count > MAX_DIRECTIVES) {
          b.truncated = true;
          return b.build();
        }
        if (s.name != null) {
          b.apply(s.name, s.value, s.quoted);
        }
      }
    }
    return b.build();
  }

  /**
   * The request's directives, counting {@code Pragma: no-cache} as {@code no-cache} when the
   * request has no {@code Cache-Control} (RFC 9111 §5.4, for HTTP/1.0 clients).
   */
  public static CacheControl forRequest(List<String> cacheControl, List<String> pragma) {
    if (!cacheControl.isEmpty() || pragma == null) {
      return parse(cacheControl);
    }
    for (String p : pragma) {
      if (p != null) {
        for (String member : p.split(",")) {
          if (member.trim().equalsIgnoreCase("no-cache")) {
            return parse("no-cache");
          }
        }
      }
    }
    return EMPTY;
  }

  /** {@code max-age} in seconds. */
  public OptionalLong maxAge() {
    return maxAge;
  }

  /** {@code s-maxage} in seconds: a shared cache's max age. */
  public OptionalLong sMaxAge() {
    return sMaxAge;
  }

  /** {@code stale-while-revalidate} in seconds (RFC 5861 §3). */
  public OptionalLong staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** {@code stale-if-error} in seconds (RFC 5861 §4). */
  public OptionalLong staleIfError() {
    return staleIfError;
  }

  /** A request's {@code max-stale}; {@code Long.MAX_VALUE} when given without a value. */
  public OptionalLong maxStale() {
    return maxStale;
  }

  /** A request's {@code min-fresh} in seconds. */
  public OptionalLong minFresh() {
    return minFresh;
  }

  public boolean noStore() {
    return noStore;
  }

  /**
   * {@code must-understand} (RFC 9111 §5.2.2.3): only a cache that knows the requirements of the
   * response's status may store it, and such a cache ignores the {@code no-store} sent beside it
   * for the caches that do not.
   */
  public boolean mustUnderstand() {
    return mustUnderstand;
  }

  /** {@code no-cache} in either form: stored responses must be revalidated before use. */
  public boolean noCache() {
    return noCache;
  }

  /** The field names of a qualified {@code no-cache}, lower case; empty for the plain form. */
  public Set<String> noCacheFields() {
    return noCacheFields;
  }

  /** Unqualified {@code private}: a shared cache must not store the response. */
  public boolean isPrivate() {
    return isPrivate;
  }

  /** The field names of a qualified {@code private}, lower case: strip them before storing. */
  public Set<String> privateFields() {
    return privateFields;
  }

  public boolean isPublic() {
    return isPublic;
  }

  public boolean mustRevalidate() {
    return mustRevalidate;
  }

  public boolean proxyRevalidate() {
    return proxyRevalidate;
  }

  public boolean noTransform() {
    return noTransform;
  }

  public boolean onlyIfCached() {
    return onlyIfCached;
  }

  public boolean immutable() {
    return immutable;
  }

  /** More than {@value #MAX_DIRECTIVES} directives were given; the rest were not read. */
  public boolean truncated() {
    return truncated;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    maxAge.ifPresent(v -> sb.append("max-age=").append(v).append(", "));
    sMaxAge.ifPresent(v -> sb.append("s-maxage=").append(v).append(", "));
    staleWhileRevalidate.ifPresent(v -> sb.append("stale-while-revalidate=").append(v).append(", "));
    staleIfError.ifPresent(v -> sb.append("stale-if-error=").append(v).append(", "));
    if (noStore) {
      sb.append("no-store, ");
    }
    if (noCache) {
      sb.append("no-cache, ");
    }
    if (isPrivate || !privateFields.isEmpty()) {
      sb.append("private, ");
    }
    if (isPublic) {
      sb.append("public, ");
    }
    if (mustRevalidate) {
      sb.append("must-revalidate, ");
    }
    return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 2);
  }

  /** Reads {@code name[=value]} list members, one at a time. */
  private static final class Scanner {
    private final String s;
    private int pos;
    String name;
    String value;
    boolean quoted;

    Scanner(String s) {
      this.s = s;
    }

    /** Advances to the next member; false at the end. {@link #name} is null for a bad member. */
    boolean nextMember() {
      name = null;
      value = null;
      quoted = false;
      while (pos < s.length() && (s.charAt(pos) == ',' || isSpace(s.charAt(pos)))) {
        pos++;
      }
      if (pos >= s.length()) {
        return false;
      }
      int start = pos;
      while (pos < s.length() && Tokens.isTokenChar(s.charAt(pos))) {
        pos++;
      }
      String n = s.substring(start, pos);
      skipSpace();
      boolean ok = !n.isEmpty();
      if (pos < s.length() && s.charAt(pos) == '=') {
        pos++;
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '"') {
          ok &= readQuoted();
        } else {
          int vs = pos;
          while (pos < s.length() && Tokens.isTokenChar(s.charAt(pos))) {
            pos++;
          }
          value = s.substring(vs, pos);
          ok &= !value.isEmpty();
        }
        skipSpace();
      }
      if (pos < s.length() && s.charAt(pos) != ',') {
        ok = false; // garbage inside the member: skip to the next comma outside quotes
        skipToComma();
      }
      if (ok) {
        name = n.toLowerCase(Locale.ROOT);
      }
      return true;
    }

    private boolean readQuoted() {
      StringBuilder v = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          value = v.toString();
          quoted = true;
          return true;
        }
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        v.append(c);
      }
      return false; // no closing quote
    }

    private void skipToComma() {
      boolean inQuotes = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '"') {
          inQuotes = !inQuotes;
        } else if (c == '\\' && inQuotes) {
          pos++;
        } else if (c == ',' && !inQuotes) {
          return;
        }
        pos++;
      }
    }

    private void skipSpace() {
      while (pos < s.length() && isSpace(s.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }

  }

  /** Collects directives while parsing; duplicates keep the more restrictive value. */
  private static final class Builder {
    OptionalLong maxAge = OptionalLong.empty();
    OptionalLong sMaxAge = OptionalLong.empty();
    OptionalLong staleWhileRevalidate = OptionalLong.empty();
    OptionalLong staleIfError = OptionalLong.empty();
    OptionalLong maxStale = OptionalLong.empty();
    OptionalLong minFresh = OptionalLong.empty();
    boolean noStore;
    boolean noCache;
    final Set<String> noCacheFields = new LinkedHashSet<>();
    boolean isPrivate;
    final Set<String> privateFields = new LinkedHashSet<>();
    boolean isPublic;
    boolean mustRevalidate;
    boolean proxyRevalidate;
    boolean noTransform;
    boolean onlyIfCached;
    boolean immutable;
    boolean mustUnderstand;
    boolean truncated;

    void apply(String name, String value, boolean quoted) {
      switch (name) {
        // An invalid freshness value makes the response stale (RFC 9111 §4.2.1).
        case "max-age" -> maxAge = min(maxAge, deltaSeconds(value, quoted).orElse(0));
        case "s-maxage" -> sMaxAge = min(sMaxAge, deltaSeconds(value, quoted).orElse(0));
        case "stale-while-revalidate" -> deltaSeconds(value, quoted)
            .ifPresent(v -> staleWhileRevalidate = min(staleWhileRevalidate, v));
        case "stale-if-error" -> deltaSeconds(value, quoted)
            .ifPresent(v -> staleIfError = min(staleIfError, v));
        case "max-stale" -> {
          if (value == null) {
            maxStale = OptionalLong.of(Long.MAX_VALUE);
          } else {
            deltaSeconds(value, quoted).ifPresent(v -> maxStale = min(maxStale, v));
          }
        }
        case "min-fresh" -> deltaSeconds(value, quoted).ifPresent(v -> minFresh = max(minFresh, v));
        case "no-store" -> noStore = true;
        case "no-cache" -> {
          // A shared cache treats the qualified form as the plain one: more restrictive.
          noCache = true;
          noCacheFields.addAll(fieldNames(value));
        }
        case "private" -> {
          if (value == null) {
            isPrivate = true;
          } else {
            privateFields.addAll(fieldNames(value));
          }
        }
        case "public" -> isPublic = true;
        case "must-revalidate" -> mustRevalidate = true;
        case "proxy-revalidate" -> proxyRevalidate = true;
        case "no-transform" -> noTransform = true;
        case "only-if-cached" -> onlyIfCached = true;
        case "immutable" -> immutable = true;
        case "must-understand" -> mustUnderstand = true;
        default -> {
          // an extension directive this cache does not know: ignored (RFC 9111 §5.2.3)
        }
      }
    }

    CacheControl build() {
      return new CacheControl(this);
    }

    private static OptionalLong min(OptionalLong current, long v) {
      return OptionalLong.of(current.isPresent() ? Math.min(current.getAsLong(), v) : v);
    }

    private static OptionalLong max(OptionalLong current, long v) {
      return OptionalLong.of(current.isPresent() ? Math.max(current.getAsLong(), v) : v);
    }

    private static Set<String> fieldNames(String value) {
      Set<String> names = new LinkedHashSet<>();
      if (value == null) {
        return names;
      }
      for (String n : value.split(",")) {
        String t = n.trim();
        if (!t.isEmpty() && Tokens.isToken(t)) {
          names.add(t.toLowerCase(Locale.ROOT));
        }
      }
      return names;
    }
  }

  /**
   * Delta-seconds (RFC 9111 §1.2.2): unquoted digits, clamped to 2^31; empty for anything else.
   */
  static OptionalLong deltaSeconds(String value, boolean quoted) {
    if (value == null || quoted || value.isEmpty()) {
      return OptionalLong.empty();
    }
    long v = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      if (v < DELTA_SECONDS_MAX) {
        v = v * 10 + (c - '0');
      }
    }
    return OptionalLong.of(Math.min(v, DELTA_SECONDS_MAX));
  }
}
