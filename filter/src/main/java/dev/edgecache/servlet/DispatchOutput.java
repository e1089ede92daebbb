package dev.edgecache.servlet;

import jakarta.servlet.ServletResponse;

/**
 * Whether a container's non-blocking output takes writes without waiting for its own callbacks:
 * whether {@code isReady()} is true as soon as the listener is set, and turns true again, from any
 * thread, once a pending write is done, also while the request's own dispatch is still running.
 * Jetty's does (its output's state moves as the write completes; only the call of {@code
 * onWritePossible} waits for the dispatch to return). Tomcat and Undertow start non-blocking
 * output only with their first callback, once the dispatch has returned, so a response written
 * during it would wait for the whole fill; there, and on containers not known, the filter waits
 * for the callback, and writes a fill's own client with blocking writes on a thread of its own.
 * The Servlet API does not say, so the container is told by its response's class ({@link
 * ContainerResponses}).
 */
final class DispatchOutput {
  private DispatchOutput() {}

  /** Whether {@code response}'s non-blocking output takes writes at once, also during its dispatch. */
  static boolean progressesWithinDispatch(ServletResponse response) {
    return ContainerResponses.of(response) == ContainerResponses.JETTY;
  }
}
