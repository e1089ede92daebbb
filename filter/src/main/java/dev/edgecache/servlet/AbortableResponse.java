package dev.edgecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The response a waiting request is suspended with. Once {@link #abort}ed (its stored body
 * failed midway), an application that the dispatch reaches directly (the filter not mapped for
 * {@code ASYNC}) cannot write to it: its write fails, and the container breaks the committed
 * response off instead of ending it as if whole.
 */
final class AbortableResponse extends HttpServletResponseWrapper {
  private volatile IOException aborted;

  AbortableResponse(HttpServletResponse response) {
    super(response);
  }

  void abort(IOException why) {
    aborted = why;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    check();
    return super.getOutputStream();
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    check();
    return super.getWriter();
  }

  private void check() throws IOException {
    IOException why = aborted;
    if (why != null) {
      throw new IOException("the stored body failed midway: " + why.getMessage(), why);
    }
  }
}
