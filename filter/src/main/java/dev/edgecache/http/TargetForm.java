package dev.edgecache.http;

import java.nio.charset.StandardCharsets;

/**
 * The forms of a request target's parts that the key and the origin must agree on. Clients send
 * characters that RFC 3986 does not allow in a URI ({@code |}, {@code {}, {@code "} in a query:
 * browsers leave several of them as typed); a proxy must send the origin a valid URI, and the key
 * must name what the origin is sent. Pure.
 */
public final class TargetForm {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TargetForm() {}

  /**
   * {@code path} with its dot segments resolved, as RFC 3986 §5.2.4 resolves them: {@code /a/./b}
   * is {@code /a/b}, {@code /a/../b} is {@code /b}, and {@code ..} above the root stays at the
   * root. The path of a request's key never has any (a request with them passes uncached), so a
   * purge that names a path resolves it to the path such a request would be stored under.
   *
   * @param path a decoded absolute path, starting with {@code /}
   */
  public static String withoutDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".") || s.equals("..")) {
        if (s.equals("..") && !kept.isEmpty()) {
          kept.removeLast();
        }
        if (last) {
          kept.addLast(""); // "/a/b/.." is "/a/": the directory, not "/a"
        }
      } else {
        kept.addLast(s);
      }
    }
    return "/" + String.join("/", kept);
  }

  /**
   * The query in its one canonical form, which both the key and the origin's request use: what
   * RFC 3986 §3.4 allows as it is, valid {@code %XX} escapes as they are, any other printable
   * ASCII character as {@code %XX} (its only valid spelling, §2.1). Null when the query has no such
   * form: a character outside printable ASCII (raw bytes a container has already decoded one way
   * or another) or a {@code %} that does not start an escape; such a request passes uncached.
   *
   * @param raw the query as the container gives it undecoded, or null
   * @return the canonical query, {@code raw} itself when it already is, or null
   */
  public static String canonicalQuery(String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
          return null;
        }
      } else if (c <= ' ' || c >= 0x7f) {
        return null;
      } else if (!allowedInQuery(c)) {
        if (out == null) {
          out = new StringBuilder(raw.length() + 8).append(raw, 0, i);
        }
        escape(out, c);
        continue;
      }
      if (out != null) {
        out.append(c);
      }
    }
    return out == null ? raw : out.toString();
  }

  /**
   * A valid URI part for forwarding {@code raw} to an origin, whatever it holds: valid escapes
   * kept, every other character that RFC 3986 does not allow there percent-encoded as UTF-8, a
   * {@code %} that starts no escape as {@code %25}. For requests that pass uncached; a cached one
   * forwards its {@link #canonicalQuery}.
   *
   * @param raw a path or query as the container gives it undecoded
   * @param query whether {@code raw} is a query ({@code ?} is allowed there)
   */
  public static String forwardable(String raw, boolean query) {
    StringBuilder out = new StringBuilder(raw.length() + 8);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
        out.append(c);
      } else if (c > ' ' && c < 0x7f && c != '%' && (query ? allowedInQuery(c) : allowedInPath(c))) {
        out.append(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
        for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          escape(out, (char) (b & 0xff));
        }
        i = end - 1;
      }
    }
    return out.toString();
  }

  private static void escape(StringBuilder out, char octet) {
    out.append('%').append(HEX[octet >>> 4]).append(HEX[octet & 0xf]);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /** pchar, {@code /} and {@code ?} (RFC 3986 §3.4); {@code %} is handled by the caller. */
  private static boolean allowedInQuery(char c) {
    return allowedInPath(c) || c == '?';
  }

  /** pchar and {@code /} (RFC 3986 §3.3). */
  private static boolean allowedInPath(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
  }
}
