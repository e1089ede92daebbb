package dev.edgecache.servlet;

import dev.edgecache.http.StoredHead;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head side of a response the origin writes through the cache: fields meant for this cache
 * only (RFC 9213's targeted fields, {@code Surrogate-Control}, {@code Surrogate-Key}) are kept
 * here and never reach the client; every other call on the head reaches the client's response
 * while {@link #headReachesClient} says so, and is dropped once it does not (the client is
 * served from the object, or has gone). The status is remembered as the servlet set it.
 */
abstract class EdgeFieldsResponse extends HttpServletResponseWrapper {
  private final List<StoredHead.Field> edgeFields = new ArrayList<>();
  private int status = SC_OK;
  /** Whether the application set anything of the head through this response. */
  private boolean headWritten;

  /** The lower-case names of the fields kept from the client ({@code FilterSettings.edgeOnlyFields}). */
  private final java.util.Set<String> edgeOnlyFields;

  EdgeFieldsResponse(HttpServletResponse client, java.util.Set<String> edgeOnlyFields) {
    super(client);
    this.edgeOnlyFields = edgeOnlyFields;
  }

  /** Whether the servlet's calls on the head still reach the client's response. */
  abstract boolean headReachesClient();

  /** The fields meant for this cache only, as the origin set them. */
  List<StoredHead.Field> edgeFields() {
    return edgeFields;
  }

  /**
   * Whether the application set its status or a field through this response: a response it
   * wrote around this one (to the container's own) leaves this false.
   */
  final boolean headWritten() {
    return headWritten;
  }

  /** Sets the status on the client's response and remembers it. */
  final void recordStatus(int sc) {
    headWritten = true;
    status = sc;
    super.setStatus(sc);
  }

  /** Forgets the status and the edge-only fields, as a reset does. */
  final void clearHead() {
    status = SC_OK;
    edgeFields.clear();
  }

  private boolean edgeOnly(String name) {
    return name != null && edgeOnlyFields.contains(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public void setHeader(String name, String value) {
    headWritten = true;
    if (edgeOnly(name)) {
      edgeFields.removeIf(f -> f.name().equalsIgnoreCase(name));
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else if (headReachesClient()) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    headWritten = true;
    if (edgeOnly(name)) {
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else if (headReachesClient()) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setContentLength(int len) {
    headWritten = true;
    if (headReachesClient()) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    headWritten = true;
    if (headReachesClient()) {
      super.setContentLengthLong(len);
    }
  }

  @Override
  public void setContentType(String type) {
    headWritten = true;
    if (headReachesClient()) {
      super.setContentType(type);
    }
  }

  @Override
  public void setCharacterEncoding(String charset) {
    headWritten = true;
    if (headReachesClient()) {
      super.setCharacterEncoding(charset);
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
  public void setStatus(int sc) {
    if (headReachesClient()) {
      recordStatus(sc);
    }
  }

  @Override
  public int getStatus() {
    return status;
  }
}
