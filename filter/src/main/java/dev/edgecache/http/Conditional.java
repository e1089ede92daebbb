package dev.edgecache.http;

import java.util.List;
import java.util.OptionalLong;

/**
 * Whether a client's conditional GET or HEAD can be answered 304 Not Modified from a stored
 * response (RFC 9111 §4.3.2 with RFC 9110 §13.1.2, §13.1.3 and the evaluation order of §13.2.2):
 * {@code If-None-Match} first, with weak comparison and {@code *}; only without it,
 * {@code If-Modified-Since} against the stored {@code Last-Modified} (or, lacking it, the stored
 * {@code Date}). An invalid date is ignored. Pure.
 */
public final class Conditional {
  private Conditional() {}

  /**
   * @param ifNoneMatch the request's {@code If-None-Match} lines
   * @param ifModifiedSince the request's {@code If-Modified-Since} lines
   * @param etag the stored response's {@code ETag}, or null
   * @param lastModified the stored {@code Last-Modified}, or null
   * @param date the stored {@code Date}, or null
   * @param nowMillis for dates with two-digit years
   * @return true if the answer is 304
   */
  public static boolean notModified(List<String> ifNoneMatch, List<String> ifModifiedSince,
      String etag, String lastModified, String date, long nowMillis) {
    if (!ifNoneMatch.isEmpty()) {
      for (String line : ifNoneMatch) {
        for (String tag : line.split(",")) {
          String t = tag.trim();
          if (t.equals("*") || (etag != null && weakMatch(t, etag.trim()))) {
            return true;
          }
        }
      }
      return false;
    }
    OptionalLong since = HttpDates.parseSingle(ifModifiedSince, nowMillis);
    if (since.isEmpty()) {
      return false;
    }
    OptionalLong modified = HttpDates.parse(lastModified != null ? lastModified : date, nowMillis);
    return modified.isPresent() && modified.getAsLong() <= since.getAsLong();
  }

  /** Weak comparison (RFC 9110 §8.8.3.2): equal opaque tags, either or both may be weak. */
  static boolean weakMatch(String a, String b) {
    String x = a.startsWith("W/") ? a.substring(2) : a;
    String y = b.startsWith("W/") ? b.substring(2) : b;
    return x.length() >= 2 && x.startsWith("\"") && x.endsWith("\"") && x.equals(y);
  }

  /**
   * Whether an {@code If-Range} value lets a range be served (RFC 9110 §13.1.5): an entity tag
   * must match the stored one strongly, a date must equal the stored {@code Last-Modified}.
   */
  public static boolean ifRangeHolds(String ifRange, String etag, String lastModified) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return etag != null && !v.startsWith("W/") && !etag.startsWith("W/") && v.equals(etag.trim());
    }
    return lastModified != null && v.equals(lastModified.trim());
  }
}
