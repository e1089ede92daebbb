package dev.edgecache.servlet;

import jakarta.servlet.ServletRequest;

/**
 * What the filter tells a tracer of one request ({@link Tracing}): the span of the request
 * through the filter, its cache outcome, how long it waited for another request's fill of its
 * key, and the origin fetch as a child span. Kept on the request, so that every phase finds it;
 * {@link #NONE} when there is no tracer, which costs nothing.
 */
interface RequestSpan {
  /** The request attribute that holds it. */
  String ATTRIBUTE = "dev.edgecache.span";

  /**
   * A phase of the request, the origin fetch: current on the thread that started it until closed
   * there; its span ends then too, unless it goes on after the dispatch (an async fill), when it
   * ends with the request's.
   */
  interface Phase extends AutoCloseable {
    /** The fetch goes on after this dispatch returns: its span ends with the request's. */
    default void continuesAfterDispatch() {}

    /** Leaves the phase on this thread, the one that started it. */
    @Override
    void close();
  }

  /** No tracer. */
  RequestSpan NONE = new RequestSpan() { };

  /** The span of {@code request}, or {@link #NONE}. */
  static RequestSpan of(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof RequestSpan s ? s : NONE;
  }

  /** What the filter did with the request. */
  default void outcome(RequestOutcome outcome) {}

  /** The request waited {@code millis} for another's fill of its key (the key's lock). */
  default void waitedForLock(long millis) {}

  /**
   * Starts the origin fetch, a child of this span, current while the application (or the proxy)
   * runs, so that its own spans are its children. Closed when the fetch ends; one still open
   * when the request ends is closed with it.
   */
  default Phase origin() {
    return () -> { };
  }

  /** Ends the span, once the response has ended. */
  default void end() {}
}
