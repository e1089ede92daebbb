package dev.edgecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response that goes nowhere but into this object: for a revalidation that runs after the
 * client's response is complete, so that what the origin writes reaches only the cache (through
 * a {@link TeeResponse} on top). It wraps the client's response only because containers expect
 * wrappers; it never touches it. Bytes written are dropped here: the tee above copies them to the
 * cache first.
 */
final class DetachedResponse extends HttpServletResponseWrapper {
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private int status = SC_OK;
  private String characterEncoding;
  private String contentType;
  private boolean committed;
  private ServletOutputStream stream;
  private PrintWriter writer;

  DetachedResponse(HttpServletResponse client) {
    super(client);
  }

  @Override
  public void setStatus(int sc) {
    status = sc;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc) {
    if (sc >= 100 && sc < 200) {
      return; // an interim response: nobody to send it to
    }
    status = sc;
    committed = true;
  }

  @Override
  public void sendError(int sc, String msg) {
    sendError(sc);
  }

  @Override
  public void sendRedirect(String location) {
    status = SC_FOUND;
    setHeader("Location", location);
    committed = true;
  }

  @Override
  public void setHeader(String name, String value) {
    headers.remove(name.toLowerCase(Locale.ROOT));
    if (value != null) {
      addHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (value != null) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void setDateHeader(String name, long date) {
    setHeader(name, dev.edgecache.http.HttpDates.format(date));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, dev.edgecache.http.HttpDates.format(date));
  }

  @Override
  public boolean containsHeader(String name) {
    return headers.containsKey(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public String getHeader(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null ? List.of() : List.copyOf(v);
  }

  @Override
  public Collection<String> getHeaderNames() {
    return List.copyOf(headers.keySet());
  }

  @Override
  public void addCookie(Cookie cookie) {
    addHeader("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
  }

  @Override
  public void setContentType(String type) {
    contentType = type;
    if (type != null) {
      setHeader("Content-Type", type);
      int i = type.toLowerCase(Locale.ROOT).indexOf("charset=");
      if (i >= 0) {
        characterEncoding = type.substring(i + 8).trim();
      }
    }
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public void setCharacterEncoding(String charset) {
    characterEncoding = charset;
  }

  @Override
  public String getCharacterEncoding() {
    return characterEncoding == null ? StandardCharsets.ISO_8859_1.name() : characterEncoding;
  }

  @Override
  public void setContentLength(int len) {
    setHeader("Content-Length", Integer.toString(len));
  }

  @Override
  public void setContentLengthLong(long len) {
    setHeader("Content-Length", Long.toString(len));
  }

  @Override
  public void setLocale(Locale loc) {
    // nobody reads it
  }

  @Override
  public void setBufferSize(int size) {
    // nothing is buffered here
  }

  @Override
  public void flushBuffer() {
    committed = true;
  }

  @Override
  public void reset() {
    if (committed) {
      throw new IllegalStateException("committed");
    }
    headers.clear();
    status = SC_OK;
  }

  @Override
  public void resetBuffer() {
    // nothing is buffered here
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream = new ServletOutputStream() {
        @Override
        public void write(int b) {
          committed = true;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          committed = true;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new IllegalStateException("a detached response has no async output");
        }
      };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), Charset.forName(getCharacterEncoding())));
    }
    return writer;
  }
}
