package dev.edgecache.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a GET or HEAD may use the cache at all, before any lookup. A request that could make
 * the origin answer something other than what its key names passes to the origin, neither served
 * from the cache nor stored: a miss costs milliseconds, a poisoned object costs everyone. Pure.
 */
public final class RequestPolicy {
  /** Why a request passes; {@link #CACHE} when it may use the cache. */
  public enum Verdict {
    CACHE,
    /**
     * A GET or HEAD with a body (a fat GET): some frameworks read parameters from it, and the key
     * cannot see them (Kettle, Web Cache Entanglement, 2020).
     */
    BODY,
    /**
     * A field that web frameworks honour to override the method, path, host or scheme: the
     * origin's answer would be for another request than the key names (CPDoS HMO).
     */
    OVERRIDE,
    /**
     * The raw target and the path the key is made of differ ({@code ;params}, {@code %63} for
     * {@code c}, dot segments), or the query holds what no URI may (raw bytes outside ASCII, a
     * {@code %} that starts no escape): the servlet, or an origin behind a proxy, could read the
     * raw form and answer for another resource than the key names.
     */
    TARGET
  }

  /** The fields of {@link Verdict#OVERRIDE} unless a deployment names its own, in lower case. */
  public static final List<String> DEFAULT_OVERRIDE_FIELDS = List.of(
      "x-http-method-override", "x-http-method", "x-method-override", "x-original-method",
      "x-original-url", "x-rewrite-url", "x-forwarded-prefix", "x-forwarded-path", "x-forwarded-uri",
      "x-forwarded-scheme", "x-forwarded-protocol", "x-forwarded-ssl", "x-url-scheme", "front-end-https",
      "x-host", "x-original-host", "x-http-host-override");

  private RequestPolicy() {}

  /**
   * The verdict for a GET or HEAD.
   *
   * @param present whether the request carries a field, by lower-case name
   * @param contentLength the request's {@code Content-Length}, or -1 if none
   * @param overrideFields the lower-case names of {@link Verdict#OVERRIDE} fields
   * @param rawPath the path as the client sent it, after the context path (undecoded)
   * @param keyPath the decoded, normalised path the key is made of, after the context path
   * @param rawQuery the query as the client sent it (undecoded), or null; one without a
   *     {@linkplain TargetForm#canonicalQuery canonical form} passes
   */
  public static Verdict decide(Predicate<String> present, long contentLength, Set<String> overrideFields,
      String rawPath, String keyPath, String rawQuery) {
    return decide(present, contentLength, false, overrideFields, rawPath, keyPath, rawQuery);
  }

  /**
   * The verdict for a GET or HEAD, or for a {@code QUERY} whose content its key holds
   * ({@code contentKeyed}): then its content is no reason to pass.
   */
  public static Verdict decide(Predicate<String> present, long contentLength, boolean contentKeyed,
      Set<String> overrideFields, String rawPath, String keyPath, String rawQuery) {
    if (!contentKeyed && (contentLength > 0 || present.test("transfer-encoding"))) {
      return Verdict.BODY;
    }
    for (String field : overrideFields) {
      if (present.test(field)) {
        return Verdict.OVERRIDE;
      }
    }
    if (!isCanonical(rawPath, keyPath) || (rawQuery != null && TargetForm.canonicalQuery(rawQuery) == null)) {
      return Verdict.TARGET;
    }
    return Verdict.CACHE;
  }

  /**
   * Whether {@code rawPath} is exactly the canonical encoding of {@code keyPath}: every octet that
   * RFC 3986 §3.3 allows in a segment as it is (less {@code ;}, which servlet containers read as
   * a path parameter), every other one as {@code %XX} in upper case (§6.2.2.1). Path parameters,
   * dot segments and needless percent-encodings all make the two differ.
   */
  public static boolean isCanonical(String rawPath, String keyPath) {
    if (rawPath == null || keyPath == null) {
      return false;
    }
    byte[] bytes = keyPath.getBytes(StandardCharsets.UTF_8);
    int at = 0;
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isKeptAsIs(c)) {
        if (at >= rawPath.length() || rawPath.charAt(at) != c) {
          return false;
        }
        at++;
      } else {
        if (at + 3 > rawPath.length() || rawPath.charAt(at) != '%'
            || rawPath.charAt(at + 1) != HEX[c >>> 4] || rawPath.charAt(at + 2) != HEX[c & 0xf]) {
          return false;
        }
        at += 3;
      }
    }
    return at == rawPath.length();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** pchar less {@code ;} (RFC 3986 §3.3), and {@code /} between segments. */
  private static boolean isKeptAsIs(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
  }
}
