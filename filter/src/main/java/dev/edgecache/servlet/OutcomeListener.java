package dev.edgecache.servlet;

/**
 * Told what the filter did with each request, once per request, on the request's thread (or the
 * thread that ends an async fill). Must be quick and must not throw; a filter without one spends
 * nothing on it.
 */
@FunctionalInterface
public interface OutcomeListener {
  /**
   * @param key the request's cache key, as text (scheme, host, port, path, query)
   * @param outcome what the filter did
   */
  void outcome(String key, RequestOutcome outcome);
}
