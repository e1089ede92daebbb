package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The purge scopes of HTTP objects: each object is in the scope of its host and in the scope of
 * each path prefix above it, segment by segment, down to {@value #MAX_DEPTH} segments. A purge by
 * host or by prefix is then one step whatever the number of objects ({@code EdgeCache.purgeScope}).
 *
 * <p>A prefix covers the path itself and every path under it: {@code /blog} covers
 * {@code /blog}, {@code /blog/} and {@code /blog/2026/post?page=2}, never {@code /blogroll}. The
 * scheme and port do not count: a purge of {@code example.com}'s {@code /blog} purges it on
 * every scheme and port, which can only purge more than asked. A prefix deeper than
 * {@value #MAX_DEPTH} segments, or longer than a scope may be
 * ({@code WriteOptions.MAX_PURGE_SCOPE_LENGTH}), purges its deepest ancestor within both limits,
 * for the same reason.
 *
 * <p>Each scope names the length of its host, so that no host and path can read as another
 * host and path.
 */
public final class PurgeScopes {
  /** Path segments below which prefixes have no scope of their own. */
  public static final int MAX_DEPTH = 8;
  private static final int MAX_LENGTH = dev.edgecache.WriteOptions.MAX_PURGE_SCOPE_LENGTH;

  private PurgeScopes() {}

  /** Every scope of the object under {@code key}: its host's, then each prefix's, shallowest first. */
  public static List<String> of(RequestKey key) {
    String host = key.host().toLowerCase(Locale.ROOT);
    List<String> scopes = new ArrayList<>(MAX_DEPTH + 1);
    String hostScope = host(host);
    if (hostScope.length() > MAX_LENGTH) {
      return scopes; // no host is that long; such a key is in no scope
    }
    scopes.add(hostScope);
    String path = key.path();
    int depth = 0;
    int from = 1;
    while (depth < MAX_DEPTH && from <= path.length()) {
      int slash = path.indexOf('/', from);
      int end = slash < 0 ? path.length() : slash;
      if (end == path.length() && end == from) {
        break; // a trailing slash: the path is under the prefix before it
      }
      String scope = named(host, path.substring(0, end));
      if (scope.length() > MAX_LENGTH) {
        break; // and every deeper one is longer still
      }
      scopes.add(scope);
      depth++;
      from = end + 1;
    }
    return scopes;
  }

  /** The scope of every object of {@code host}. */
  public static String host(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return "host " + h.length() + " " + h;
  }

  /**
   * The scope of {@code path} and everything under it on {@code host}; the host's own scope for
   * {@code /}.
   *
   * @throws IllegalArgumentException if the path does not start with {@code /}
   */
  public static String prefix(String host, String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new IllegalArgumentException("a path prefix starts with '/'");
    }
    String h = host.toLowerCase(Locale.ROOT);
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.isEmpty()) {
      return host(h);
    }
    // the deepest ancestor (itself included) within the depth and the length an object's has
    String deepest = host(h);
    int depth = 0;
    int end = 0;
    while (depth < MAX_DEPTH) {
      int slash = trimmed.indexOf('/', end + 1);
      end = slash < 0 ? trimmed.length() : slash;
      depth++;
      String scope = named(h, trimmed.substring(0, end));
      if (scope.length() > MAX_LENGTH) {
        break;
      }
      deepest = scope;
      if (slash < 0) {
        break;
      }
    }
    return deepest;
  }

  private static String named(String host, String pathPrefix) {
    return "prefix " + host.length() + " " + host + pathPrefix;
  }
}
