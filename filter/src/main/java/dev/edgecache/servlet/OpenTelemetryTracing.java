package dev.edgecache.servlet;

import dev.edgecache.EdgeCacheVersion;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Tracing} with OpenTelemetry's API: the only class of the filter that names it, loaded
 * only when it is on the class path. A request's span is {@code edgecache <METHOD>}, a child of
 * the context current when the request reaches the filter (a server span the agent started, say),
 * with the attributes {@code http.request.method}, {@code url.path}, {@code edgecache.outcome}
 * and, when the request waited for another's fill, {@code edgecache.lock_wait_ms}; its origin
 * fetch is the child span {@code edgecache origin}.
 */
final class OpenTelemetryTracing extends Tracing {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("edgecache.outcome");
  static final AttributeKey<Long> LOCK_WAIT = AttributeKey.longKey("edgecache.lock_wait_ms");

  private final Tracer tracer = GlobalOpenTelemetry.getTracer("dev.edgecache", EdgeCacheVersion.get());

  @Override
  RequestSpan open(HttpServletRequest req) {
    Span span = tracer.spanBuilder("edgecache " + req.getMethod()).setSpanKind(SpanKind.INTERNAL)
        .setParent(Context.current()).setAttribute(METHOD, req.getMethod())
        .setAttribute(PATH, req.getRequestURI()).startSpan();
    return new OtelSpan(span);
  }

  /** One request's span. */
  private final class OtelSpan implements RequestSpan {
    private final Span span;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Span origin;

    OtelSpan(Span span) {
      this.span = span;
    }

    @Override
    public void outcome(RequestOutcome outcome) {
      span.setAttribute(OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void waitedForLock(long millis) {
      span.setAttribute(LOCK_WAIT, millis);
    }

    @Override
    public Phase origin() {
      Span fetch = tracer.spanBuilder("edgecache origin").setSpanKind(SpanKind.INTERNAL)
          .setParent(Context.current().with(span)).startSpan();
      origin = fetch;
      Scope scope = fetch.makeCurrent();
      return new Phase() {
        private boolean continues;

        @Override
        public void continuesAfterDispatch() {
          continues = true;
        }

        @Override
        public void close() {
          scope.close(); // on the thread that made it current, as a scope must be
          if (!continues) {
            fetch.end();
          }
        }
      };
    }

    @Override
    public void end() {
      if (ended.compareAndSet(false, true)) {
        Span open = origin;
        if (open != null && open.isRecording()) {
          open.end(); // a fetch that went on after its dispatch
        }
        span.end();
      }
    }
  }
}
