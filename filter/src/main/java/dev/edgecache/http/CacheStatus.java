package dev.edgecache.http;

import java.util.Locale;

/**
 * A {@code Cache-Status} field value (RFC 9211) for this cache: either {@code hit} or
 * {@code fwd=<reason>}, with {@code fwd-status}, {@code stored}, {@code collapsed} (an extension
 * parameter: the request waited for another's fill), {@code ttl} and, only when asked, the
 * {@code key}. Immutable.
 *
 * <p>Example: {@code edgecache; fwd=uri-miss; fwd-status=200; stored; ttl=60}.
 */
public final class CacheStatus {
  /** The {@code fwd} reasons of RFC 9211 §2.2 this cache uses. */
  public enum Forward {
    URI_MISS, VARY_MISS, STALE, BYPASS, REQUEST;

    /** The parameter's value, as {@code fwd=} writes it. */
    public String token() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final String cacheName;
  private final boolean hit;
  private final Forward forward;
  private final int forwardStatus;
  private final boolean stored;
  private final boolean collapsed;
  private final Long ttlSeconds;
  private final String detail;
  private final String key;

  /** Why the cache went forward, or null for a hit. */
  public Forward forward() {
    return forward;
  }

  /** The {@code detail} parameter, or null. */
  public String detail() {
    return detail;
  }

  private CacheStatus(String cacheName, boolean hit, Forward forward, int forwardStatus,
      boolean stored, boolean collapsed, Long ttlSeconds, String detail, String key) {
    this.cacheName = cacheName;
    this.hit = hit;
    this.forward = forward;
    this.forwardStatus = forwardStatus;
    this.stored = stored;
    this.collapsed = collapsed;
    this.ttlSeconds = ttlSeconds;
    this.detail = detail;
    this.key = key;
  }

  /** A hit from cache {@code cacheName} (an RFC 8941 token, such as {@code edgecache}). */
  public static CacheStatus hit(String cacheName) {
    return new CacheStatus(cacheName, true, null, 0, false, false, null, null, null);
  }

  /** A request forwarded to the origin for {@code reason}. */
  public static CacheStatus forward(String cacheName, Forward reason) {
    return new CacheStatus(cacheName, false, reason, 0, false, false, null, null, null);
  }

  public CacheStatus withForwardStatus(int status) {
    return new CacheStatus(cacheName, hit, forward, status, stored, collapsed, ttlSeconds, detail, key);
  }

  public CacheStatus withStored(boolean value) {
    return new CacheStatus(cacheName, hit, forward, forwardStatus, value, collapsed, ttlSeconds, detail, key);
  }

  public CacheStatus withCollapsed(boolean value) {
    return new CacheStatus(cacheName, hit, forward, forwardStatus, stored, value, ttlSeconds, detail, key);
  }

  /** The remaining freshness in seconds; negative when stale (RFC 9211 §2.5). */
  public CacheStatus withTtl(long seconds) {
    return new CacheStatus(cacheName, hit, forward, forwardStatus, stored, collapsed, seconds, detail, key);
  }

  /** A short token-ish detail (RFC 9211 §2.8), for example why a response was not stored. */
  public CacheStatus withDetail(String value) {
    return new CacheStatus(cacheName, hit, forward, forwardStatus, stored, collapsed, ttlSeconds, value, key);
  }

  /** The cache key, for debugging only: never for sensitive objects (RFC 9211 §2.7). */
  public CacheStatus withKey(String value) {
    return new CacheStatus(cacheName, hit, forward, forwardStatus, stored, collapsed, ttlSeconds, detail, value);
  }

  /** The field value. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(cacheName.length() + 64).append(cacheName);
    if (hit) {
      sb.append("; hit");
    } else {
      sb.append("; fwd=").append(forward.token());
      if (forwardStatus > 0) {
        sb.append("; fwd-status=").append(forwardStatus);
      }
      if (stored) {
        sb.append("; stored");
      }
    }
    if (collapsed) {
      sb.append("; collapsed");
    }
    if (ttlSeconds != null) {
      sb.append("; ttl=").append(ttlSeconds);
    }
    if (key != null) {
      sb.append("; key=").append(sfString(key));
    }
    if (detail != null) {
      sb.append("; detail=").append(sfString(detail));
    }
    return sb.toString();
  }

  /**
   * An RFC 8941 string: printable ASCII, with {@code "} and {@code \} escaped; anything else is
   * percent-encoded so that a hostile key cannot break the field (or inject another one).
   */
  static String sfString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (sb.length() >= 1024) {
        break;
      }
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        sb.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.append('"').toString();
  }
}
