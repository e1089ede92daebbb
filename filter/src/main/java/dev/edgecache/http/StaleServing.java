package dev.edgecache.http;

/**
 * Whether a stored response may ever be served stale (RFC 9111 §4.2.4): not when its directives
 * say it must be revalidated once stale ({@code must-revalidate} §5.2.2.2, {@code proxy-revalidate}
 * §5.2.2.8, {@code no-cache} §5.2.2.4, and {@code s-maxage}, which carries proxy-revalidate for a
 * shared cache, §5.2.2.10), and not for a transient error, which is kept briefly only. A response
 * that may be served stale is still served so only where something permits it: its
 * {@code stale-while-revalidate} or {@code stale-if-error}, a configured default, or an origin that
 * cannot be reached (a disconnected cache, §4.2.4). Pure.
 */
public final class StaleServing {
  private StaleServing() {}

  /** Whether {@code directives} (the effective ones) and {@code status} forbid serving stale. */
  public static boolean forbidden(CacheControl directives, int status) {
    return directives.mustRevalidate() || directives.proxyRevalidate() || directives.noCache()
        || directives.sMaxAge().isPresent() || StorePolicy.isTransientError(status);
  }
}
