package dev.edgecache.servlet;

import java.util.Locale;

/**
 * How an origin failed to answer a request ({@link EdgeCacheFilter#originFailed}): the kinds an
 * operator tells apart when the origin is in trouble, as counted in
 * {@code edgecache_origin_errors_total{kind}}.
 */
public enum OriginFailure {
  /** No connection: refused, unreachable, a name that does not resolve. */
  CONNECT,
  /** Connected, but no answer within the time allowed. */
  TIMEOUT,
  /** The connection ended before the response did. */
  RESET,
  /** An answer that is not HTTP, or one the edge cannot pass on (a head too large). */
  PROTOCOL;

  /** The label: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
