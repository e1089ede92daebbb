package dev.edgecache.servlet;

import dev.edgecache.http.ByteRanges;
import dev.edgecache.http.Conditional;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Collections;

/**
 * The client's side of a fill made for a conditional or Range request that missed. The origin
 * is asked for the whole object, which the tee stores; this wrapper turns the stream into the
 * answer the client asked for as it passes: 304 when the new response matches the client's
 * validators (RFC 9111 §4.3.2), 206 with just the bytes of a single satisfiable range
 * (RFC 9110 §14), or the whole 200 otherwise (a server may ignore {@code Range}). It decides when
 * the first byte arrives, so it works for async origins as well.
 */
final class ColdAnswer extends HttpServletResponseWrapper {
  private enum Shape { UNDECIDED, WHOLE, NOT_MODIFIED, PARTIAL, HELD, HELD_WHOLE }

  /**
   * The most bytes held back for a range of a body whose length is not declared: the range can
   * be answered once the body has passed its end, or has ended.
   */
  static final int MAX_HELD = 1 << 20;

  private final HttpServletRequest request;
  private final int maxRanges;
  private Shape shape = Shape.UNDECIDED;
  private long first;
  private long last;
  private long position;
  private ServletOutputStream stream;
  /** The range's bytes so far, while {@link Shape#HELD}. */
  private java.io.ByteArrayOutputStream held;

  private final java.time.Clock clock;

  ColdAnswer(HttpServletRequest request, HttpServletResponse client, int maxRanges, java.time.Clock clock) {
    super(client);
    this.clock = clock;
    this.request = request;
    this.maxRanges = maxRanges;
  }

  private Shape shape() {
    if (shape != Shape.UNDECIDED) {
      return shape;
    }
    shape = Shape.WHOLE;
    if (getStatus() != SC_OK) {
      return shape;
    }
    String etag = getHeader("ETag");
    String lastModified = getHeader("Last-Modified");
    if (Conditional.notModified(CachedResponses.list(request.getHeaders("If-None-Match")),
        CachedResponses.list(request.getHeaders("If-Modified-Since")), etag, lastModified,
        getHeader("Date"), clock.millis())) {
      shape = Shape.NOT_MODIFIED;
      super.setStatus(SC_NOT_MODIFIED);
      super.setHeader("Content-Length", null);
      return shape;
    }
    String range = request.getHeader("Range");
    String length = getHeader("Content-Length");
    if (range != null && length != null
        && Conditional.ifRangeHolds(request.getHeader("If-Range"), etag, lastModified)) {
      try {
        long total = Long.parseLong(length.trim());
        ByteRanges.Decision d = ByteRanges.decide(range, total, maxRanges);
        if (d.outcome() == ByteRanges.Outcome.PARTIAL) {
          ByteRanges.Range r = d.ranges().get(0);
          first = r.first();
          last = r.last();
          shape = Shape.PARTIAL;
          super.setStatus(SC_PARTIAL_CONTENT);
          super.setHeader("Content-Range", r.contentRange(total));
          super.setContentLengthLong(r.length());
        } else if (d.outcome() == ByteRanges.Outcome.UNSATISFIABLE) {
          first = 1;
          last = 0; // nothing passes
          shape = Shape.PARTIAL;
          super.setStatus(SC_REQUESTED_RANGE_NOT_SATISFIABLE);
          super.setHeader("Content-Range", "bytes */" + total);
          super.setContentLengthLong(0);
        }
      } catch (NumberFormatException e) {
        // a bad Content-Length: the whole response
      }
    } else if (range != null && length == null && "GET".equals(request.getMethod())
        && Conditional.ifRangeHolds(request.getHeader("If-Range"), etag, lastModified)) {
      // No declared length: a single bounded range is held back until the body passes its end
      // (then "first-last/*", RFC 9110 §14.4) or ends (then the length is known).
      java.util.Optional<ByteRanges.Range> bounded = ByteRanges.boundedSingle(range, MAX_HELD);
      if (bounded.isPresent()) {
        first = bounded.get().first();
        last = bounded.get().last();
        held = new java.io.ByteArrayOutputStream((int) Math.min(bounded.get().length(), 64 * 1024));
        shape = Shape.HELD;
      } else {
        // an open-ended or suffix range needs the length: a body that ends within MAX_HELD is
        // held whole and cut at its end; a longer one goes out whole, as a server may answer
        held = new java.io.ByteArrayOutputStream(64 * 1024);
        shape = Shape.HELD_WHOLE;
      }
    }
    return shape;
  }

  /** A body held whole grew past {@link #MAX_HELD}: it goes out whole, as a 200. */
  private void releaseWhole(ServletOutputStream client) throws IOException {
    shape = Shape.WHOLE;
    held.writeTo(client);
    held = null;
  }

  private static boolean holding(Shape s) {
    return s == Shape.HELD || s == Shape.HELD_WHOLE;
  }

  /** Answers a held range once the body has passed its end: its length is not known yet. */
  private void release(ServletOutputStream client) throws IOException {
    shape = Shape.PARTIAL;
    super.setStatus(SC_PARTIAL_CONTENT);
    super.setHeader("Content-Range", "bytes " + first + "-" + last + "/*");
    super.setContentLengthLong(held.size());
    held.writeTo(client);
    held = null;
  }

  /** Ends the answer of the first {@code ColdAnswer} under {@code response}, if there is one ({@link #finish}). */
  static void finishUnder(jakarta.servlet.ServletResponse response) throws IOException {
    for (jakarta.servlet.ServletResponse r = response; r instanceof jakarta.servlet.ServletResponseWrapper w;
        r = w.getResponse()) {
      if (r instanceof ColdAnswer cold) {
        cold.finish();
        return;
      }
    }
  }

  /**
   * The origin's body has ended: a range still held is answered now that its length is known,
   * 206 or 416 (RFC 9110 §15.5.17).
   */
  void finish() throws IOException {
    if (shape == Shape.NOT_MODIFIED) {
      CachedResponses.endWithoutBody(this); // no Content-Length: 0 from the container
      return;
    }
    if (shape == Shape.HELD_WHOLE) {
      finishWhole();
      return;
    }
    if (shape != Shape.HELD) {
      return;
    }
    shape = Shape.PARTIAL;
    long total = position;
    ServletOutputStream client = super.getOutputStream();
    if (first < total) {
      ByteRanges.Range r = new ByteRanges.Range(first, Math.min(last, total - 1));
      super.setStatus(SC_PARTIAL_CONTENT);
      super.setHeader("Content-Range", r.contentRange(total));
      super.setContentLengthLong(r.length());
      held.writeTo(client);
    } else {
      super.setStatus(SC_REQUESTED_RANGE_NOT_SATISFIABLE);
      super.setHeader("Content-Range", "bytes */" + total);
      super.setContentLengthLong(0);
    }
    held = null;
  }

  /** A body held whole has ended: its range is cut from it now that its length is known. */
  private void finishWhole() throws IOException {
    byte[] body = held.toByteArray();
    held = null;
    ServletOutputStream client = super.getOutputStream();
    ByteRanges.Decision d = ByteRanges.decide(request.getHeader("Range"), body.length, 1);
    if (d.outcome() == ByteRanges.Outcome.PARTIAL) {
      ByteRanges.Range r = d.ranges().get(0);
      shape = Shape.PARTIAL;
      super.setStatus(SC_PARTIAL_CONTENT);
      super.setHeader("Content-Range", r.contentRange(body.length));
      super.setContentLengthLong(r.length());
      client.write(body, (int) r.first(), (int) r.length());
    } else if (d.outcome() == ByteRanges.Outcome.UNSATISFIABLE) {
      shape = Shape.PARTIAL;
      super.setStatus(SC_REQUESTED_RANGE_NOT_SATISFIABLE);
      super.setHeader("Content-Range", "bytes */" + body.length);
      super.setContentLengthLong(0);
    } else {
      shape = Shape.WHOLE;
      super.setContentLengthLong(body.length);
      client.write(body);
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (!holding(shape())) {
      super.flushBuffer();
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      ServletOutputStream client = super.getOutputStream();
      stream = new ServletOutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          switch (shape()) {
            case NOT_MODIFIED -> position += len;
            case PARTIAL -> {
              long start = Math.max(first, position);
              long end = Math.min(last + 1, position + len);
              if (start < end) {
                client.write(b, off + (int) (start - position), (int) (end - start));
              }
              position += len;
            }
            case HELD_WHOLE -> {
              held.write(b, off, len);
              position += len;
              if (held.size() > MAX_HELD) {
                releaseWhole(client);
              }
            }
            case HELD -> {
              long start = Math.max(first, position);
              long end = Math.min(last + 1, position + len);
              if (start < end) {
                held.write(b, off + (int) (start - position), (int) (end - start));
              }
              position += len;
              if (position > last) {
                release(client);
              }
            }
            default -> client.write(b, off, len);
          }
        }

        @Override
        public void flush() throws IOException {
          if (!holding(shape())) {
            client.flush();
          }
        }

        @Override
        public void close() throws IOException {
          if (holding(shape())) {
            finish();
          }
          client.close();
        }

        @Override
        public boolean isReady() {
          return client.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          client.setWriteListener(listener);
        }
      };
    }
    return stream;
  }

  @Override
  public java.util.Collection<String> getHeaders(String name) {
    java.util.Collection<String> v = super.getHeaders(name);
    return v == null ? Collections.emptyList() : v;
  }
}
