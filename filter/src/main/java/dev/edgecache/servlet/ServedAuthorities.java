package dev.edgecache.servlet;

import dev.edgecache.CacheKey;
import dev.edgecache.http.RequestKey;
import java.util.LinkedHashSet;
import java.util.List;
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
   * The keys a purge of {@code key} removes: the key itself, and the same host, path and query on
   * http and https with their default ports and on every scheme and port seen; each with the
   * partial content stored for it ({@link RequestKey#partialKey}).
   */
  public List<CacheKey> purgedKeys(RequestKey key) {
    Set<CacheKey> out = new LinkedHashSet<>();
    for (RequestKey url : urls(key)) {
      out.add(url.cacheKey());
      out.add(url.partialKey());
    }
    return List.copyOf(out);
  }

  /**
   * Purges the {@code QUERY} responses stored for {@code key}'s URL on every scheme and port its
   * keys are purged under ({@link QueryContent#purge}); whether there were any.
   */
  public boolean purgeQueries(dev.edgecache.EdgeCache cache, RequestKey key, boolean soft) {
    boolean any = false;
    for (RequestKey url : urls(key)) {
      any |= QueryContent.purge(cache, url, soft);
    }
    return any;
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
