package dev.edgecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * A HEAD that misses is filled as a GET (nginx's {@code proxy_cache_convert_head}): the origin
 * sees a GET, its whole body goes to the cache through the tee, and the client of the HEAD gets
 * the status and fields only. Storing what {@code HttpServlet.doHead} answers would store an
 * empty body as the object (THREATS 15).
 */
final class HeadAsGet {
  private HeadAsGet() {}

  /** The HEAD request, seen by the origin as a GET. */
  static HttpServletRequest request(HttpServletRequest head) {
    return new HttpServletRequestWrapper(head) {
      @Override
      public String getMethod() {
        return "GET";
      }
    };
  }

  /** The client's response with the body dropped: headers, status and length pass. */
  static HttpServletResponse response(HttpServletResponse client) {
    return new HttpServletResponseWrapper(client) {
      private final ServletOutputStream nowhere = new ServletOutputStream() {
        @Override
        public void write(int b) {
          // a HEAD response has no body
        }

        @Override
        public void write(byte[] b, int off, int len) {
          // a HEAD response has no body
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          // The container calls the application back, on its own threads, as it would for the
          // client's body; every write then lands here, always ready.
          try {
            client.getOutputStream().setWriteListener(listener);
          } catch (IOException e) {
            throw new IllegalStateException("the client's output stream is gone", e);
          }
        }
      };
      private PrintWriter writer;

      @Override
      public ServletOutputStream getOutputStream() {
        return nowhere;
      }

      @Override
      public PrintWriter getWriter() {
        if (writer == null) {
          writer = new PrintWriter(new OutputStreamWriter(nowhere, Charset.forName(getCharacterEncoding())));
        }
        return writer;
      }
    };
  }
}
