package dev.edgecache.http;

import dev.edgecache.CacheKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The cache key of a request: scheme, host (lower case, default port removed), the path as the
 * container resolved it, and the query string. GET and HEAD share keys (a HEAD is answered from
 * the GET's object). Each part is length-prefixed, so that no choice of path, query or host can
 * make two different requests encode to the same bytes (THREATS 4).
 *
 * <p>The path must be the one the servlet sees (context path + servlet path + path info, Servlet
 * 6.0 §3.5.2), never the raw request URI, so that {@code ;}, {@code %2F}, {@code ..} and
 * {@code //} tricks cannot make the key and the servlet disagree.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the authority's host, as the container resolved it
 * @param port the port, or -1
 * @param path the decoded, normalised path
 * @param query the raw query string, or null
 * @param content the digest of a {@code QUERY} request's content, which its key holds; null for
 *     every other request
 */
public record RequestKey(String scheme, String host, int port, String path, String query, String content) {
  private static final byte[] PREFIX = {'h', 't', 't', 'p', 0};

  /** The key of a request whose content is no part of it (every method but {@code QUERY}). */
  public RequestKey(String scheme, String host, int port, String path, String query) {
    this(scheme, host, port, path, query, null);
  }

  /** The key of the URL alone. */
  public RequestKey withoutContent() {
    return content == null ? this : new RequestKey(scheme, host, port, path, query);
  }

  /** The key's printable form, for logs and {@code Cache-Status} debugging. */
  public String text() {
    String s = scheme.toLowerCase(Locale.ROOT);
    String authority = host.toLowerCase(Locale.ROOT) + (isDefaultPort(s, port) ? "" : ":" + port);
    return s + "://" + authority + path + (query == null ? "" : "?" + query)
        + (content == null ? "" : " (QUERY content sha-256 " + content + ")");
  }

  /** The cache key: the length-prefixed parts, after a prefix that no key-value key has. */
  public CacheKey cacheKey() {
    return CacheKey.of(encoded().toByteArray());
  }

  /**
   * The key of the partial content stored for this request's URL ({@link PartialContent}): the
   * cache key and a byte after its end, where no cache key has one, so that it is no other key.
   */
  public CacheKey partialKey() {
    ByteArrayOutputStream out = encoded();
    out.write(2);
    return CacheKey.of(out.toByteArray());
  }

  private ByteArrayOutputStream encoded() {
    String s = scheme.toLowerCase(Locale.ROOT);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + path.length());
    out.write(PREFIX, 0, PREFIX.length);
    put(out, s);
    put(out, host.toLowerCase(Locale.ROOT));
    put(out, isDefaultPort(s, port) ? "" : Integer.toString(port));
    put(out, path);
    if (query == null) {
      out.write(0);
    } else {
      out.write(1);
      put(out, query);
    }
    if (content != null) {
      out.write(3); // after the URL's end, where no URL's key has a byte
      put(out, content);
    }
    return out;
  }

  private static boolean isDefaultPort(String scheme, int port) {
    return port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
  }

  private static void put(ByteArrayOutputStream out, String part) {
    byte[] b = part.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >>> 24);
    out.write(b.length >>> 16);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.write(b, 0, b.length);
  }
}
