package dev.edgecache.sample.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The edge's error pages: the status and its reason phrase, as plain text, and nothing else.
 * Jetty's own pages carry the exception's message, which can hold the origin's address, a class
 * name or what the client sent; those belong in the log.
 */
final class FixedTextErrors extends ErrorHandler {
  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
      String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    String reason = HttpStatus.getMessage(code);
    byte[] text = (code + " " + (reason == null ? "" : reason) + "\n").getBytes(StandardCharsets.US_ASCII);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, text.length);
    response.write(true, ByteBuffer.wrap(text), callback);
    return true;
  }
}
