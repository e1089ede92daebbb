package dev.edgecache.servlet;

/**
 * Tells a head the container refused to write from a client that went away. Containers refuse a
 * head larger than they allow (Jetty's {@code responseHeaderSize}, Tomcat's {@code
 * maxHttpResponseHeaderSize}) with an error that is not I/O at its root (Jetty's {@code
 * HttpException}, Tomcat's {@code HeadersTooLargeException}); a connection that failed ends in an
 * {@code IOException}. Such a response is never stored (every hit would fail the same way), and
 * its client is answered 502 where the response can still be reset.
 */
final class RefusedHead {
  private RefusedHead() {}

  /**
   * Whether {@code failure}, thrown while the head of a response that was not committed before
   * the call was being written, is the container refusing that head.
   */
  static boolean in(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
      root = root.getCause();
    }
    return !(root instanceof java.io.IOException);
  }

  /**
   * Heads larger than this are written out before their object is trusted (see {@link
   * #writeOutIfLarge}); containers refuse heads over 8 KiB by default, and add fields of their own.
   */
  static final int CHECKED_HEAD_BYTES = 4096;

  /**
   * Whether the head {@code res} holds is larger than {@link #CHECKED_HEAD_BYTES}, counted as it
   * is written (name, colon, blank, value, CRLF).
   */
  static boolean large(jakarta.servlet.http.HttpServletResponse res) {
    long n = 0;
    for (String name : res.getHeaderNames()) {
      for (String value : res.getHeaders(name)) {
        n += name.length() + value.length() + 4;
        if (n > CHECKED_HEAD_BYTES) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Makes the container write a large head that it has not written yet, so that a refusal is
   * seen by the caller (who can still drop the object) rather than after the request by nobody.
   * Containers otherwise write a small response's head only once the request has ended.
   */
  static void writeOutIfLarge(jakarta.servlet.http.HttpServletResponse res) throws java.io.IOException {
    if (!res.isCommitted() && large(res)) {
      res.flushBuffer();
    }
  }
}
