package dev.edgecache.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spans of the requests through the filter, for a tracer: OpenTelemetry's, when its API is on
 * the class path (an optional dependency: the filter needs none), through {@code
 * GlobalOpenTelemetry} as the application or the OpenTelemetry Java agent set it up. Without it,
 * nothing is done and nothing is spent.
 */
abstract class Tracing {
  private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

  /** No tracer. */
  static final Tracing NONE = new Tracing() {
    @Override
    RequestSpan open(HttpServletRequest req) {
      return RequestSpan.NONE;
    }
  };

  /** OpenTelemetry's tracing if its API is on the class path, else {@link #NONE}. */
  static Tracing create() {
    try {
      Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, Tracing.class.getClassLoader());
      return new OpenTelemetryTracing();
    } catch (ClassNotFoundException | LinkageError absent) {
      LOG.log(Level.FINE, "no OpenTelemetry API on the class path: no spans", absent);
      return NONE;
    }
  }

  /** A span for {@code req}, started now as a child of the current context. */
  abstract RequestSpan open(HttpServletRequest req);

  /**
   * Starts {@code req}'s span and keeps it on the request; {@link #finish} ends it. A request
   * that already has one (an async dispatch back through the filter) keeps it.
   */
  final RequestSpan start(HttpServletRequest req) {
    if (this == NONE) {
      return RequestSpan.NONE;
    }
    RequestSpan span = RequestSpan.of(req);
    if (span == RequestSpan.NONE) {
      span = open(req);
      req.setAttribute(RequestSpan.ATTRIBUTE, span);
    }
    return span;
  }

  /** Ends {@code span} now, or, if the request went async, once its response has ended. */
  static void finish(HttpServletRequest req, RequestSpan span) {
    if (span == RequestSpan.NONE) {
      return;
    }
    if (!req.isAsyncStarted()) {
      span.end();
      return;
    }
    req.getAsyncContext().addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        span.end();
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        span.end();
      }

      @Override
      public void onError(AsyncEvent event) {
        span.end();
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this); // started again: still to end with the response
      }
    });
  }
}
