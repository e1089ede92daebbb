package dev.edgecache.servlet;

import dev.edgecache.http.RequestKey;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The schemes and ports this filter has made keys with, so that a purge of a URL reaches it under
 * each of them: behind a TLS terminator the public {@code https://shop/x} is stored as
 * {@code http://shop:8080/x}, and an operator purges the URL the public sees. Every purge form
 * follows the same rule: host, path and query count; scheme and port do not (as prefix and host
 * purges' scopes have none). At most {@value #MAX} pairs are remembered; a deployment serves on
 * a handful. Thread-safe; the check on each request reads one small array and allocates nothing.
 */
public final class ServedAuthorities {
  /** The most scheme and port pairs remembered. */
  static final int MAX = 16;
  /** Each pair as {@code https ? 1 << 32 : 0 | port + 1}; copied on the rare change. */
  private volatile long[] seen = new long[0];

  /** Notes the scheme and port of a key made for a request. */
  void saw(RequestKey key) {
    long code = code(key.scheme(), key.port());
    long[] now = seen;
    for (long c : now) {
      if (c == code) {
        return;
      }
    }
    add(code);
  }

  private synchronized void add(long code) {
    long[] now = seen;
    if (now.length >= MAX) {
      return;
    }
    for (long c : now) {
      if (c == code) {
        return;
      }
    }
    long[] next = java.util.Arrays.copyOf(now, now.length + 1);
    next[now.length] = code;
    seen = next;
  }

  private static long code(String scheme, int port) {
    return ("https".equalsIgnoreCase(scheme) ? 1L << 32 : 0L) | (port + 1L);
  }

  /**
   * Purges {@code key}'s URL ({@link #purgeUrl}) as itself, and as the same host, path and query on
   * http and https with their default ports and on every scheme and port seen; whether anything
   * was stored under any of them.
   */
  public boolean purge(dev.edgecache.EdgeCache cache, RequestKey key, boolean soft) {
    boolean any = false;
    for (RequestKey url : urls(key)) {
      any |= purgeUrl(cache, url, soft);
    }
    return any;
  }

  /**
   * Purges what is stored for one URL, on its own scheme and port: its objects, the partial
   * content kept for it ({@link RequestKey#partialKey}) and its {@code QUERY} responses ({@link
   * QueryContent#purge}); whether there was any of them.
   */
  static boolean purgeUrl(dev.edgecache.EdgeCache cache, RequestKey url, boolean soft) {
    boolean any = soft ? cache.softPurge(url.cacheKey()) : cache.purge(url.cacheKey());
    any |= soft ? cache.softPurge(url.partialKey()) : cache.purge(url.partialKey());
    return QueryContent.purge(cache, url, soft) | any;
  }

  private Set<RequestKey> urls(RequestKey key) {
    Set<RequestKey> urls = new LinkedHashSet<>();
    urls.add(key.withoutContent());
    urls.add(new RequestKey("http", key.host(), -1, key.path(), key.query()));
    urls.add(new RequestKey("https", key.host(), -1, key.path(), key.query()));
    for (long c : seen) {
      String scheme = (c >>> 32) == 1 ? "https" : "http";
      int port = (int) (c & 0xffffffffL) - 1;
      urls.add(new RequestKey(scheme, key.host(), port, key.path(), key.query()));
    }
    return urls;
  }
}
