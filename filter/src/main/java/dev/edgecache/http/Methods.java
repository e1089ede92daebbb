package dev.edgecache.http;

import java.util.Set;

/** What a cache must know of request methods. Pure. */
public final class Methods {
  /**
   * Methods defined as safe (RFC 9110 §9.2.1, and WebDAV's read-only methods, RFC 4918 §9.1 and
   * RFC 3253 §3.6). A safe method never invalidates anything: RFC 9111 §4.4 names unsafe methods
   * only, and anyone can send a preflight {@code OPTIONS}. A method not listed counts as unsafe.
   */
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND",
      "REPORT", "SEARCH", "QUERY");

  private Methods() {}

  /** Whether {@code method} (case-sensitive, RFC 9110 §9.1) is safe. */
  public static boolean isSafe(String method) {
    return SAFE.contains(method);
  }
}
