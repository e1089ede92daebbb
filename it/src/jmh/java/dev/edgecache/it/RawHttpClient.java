package dev.edgecache.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection for the load runs: a request is a few bytes written, a
 * response is parsed just far enough to find its end (Content-Length or chunked), and the body is
 * handed to a checker without being kept. So little client work per request that the server is
 * what is measured.
 */
final class RawHttpClient implements AutoCloseable {
  /** Sees each piece of a body, in order; throws if a byte is wrong. */
  interface BodyCheck {
    void accept(long offset, byte[] b, int off, int len);
  }

  /** A response: status, fields (lower-case names, last value), body size and when it came. */
  record Response(int status, Map<String, String> fields, long bodyBytes, long sentNanos, long firstByteNanos,
      long endNanos) {
    long firstByteMicros() {
      return (firstByteNanos - sentNanos) / 1_000;
    }

    long totalMicros() {
      return (endNanos - sentNanos) / 1_000;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer;
  private final StringBuilder line = new StringBuilder();

  RawHttpClient(int port) throws IOException {
    this(port, 64 * 1024);
  }

  /** With read buffers of {@code bufferBytes}: small ones for runs with thousands of clients. */
  RawHttpClient(int port, int bufferBytes) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    buffer = new byte[bufferBytes];
    in = new BufferedInputStream(socket.getInputStream(), bufferBytes);
    out = new BufferedOutputStream(socket.getOutputStream(), 4096);
  }

  /** GET {@code target} with a fixed Host, reading the whole response. */
  Response get(String target, BodyCheck check) throws IOException {
    return get(target, check, "");
  }

  /** GET {@code target} with a fixed Host and {@code fields} (each line ending in CRLF), reading the whole response. */
  Response get(String target, BodyCheck check, String fields) throws IOException {
    long sent = System.nanoTime();
    out.write(("GET " + target + " HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: edgecache-load\r\n" + fields + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    int first = in.read();
    if (first < 0) {
      throw new EOFException("the server closed the connection");
    }
    long firstByte = System.nanoTime();
    line.setLength(0);
    line.append((char) first);
    String status = readLine();
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> heads = new HashMap<>();
    for (String f; !(f = readLine()).isEmpty(); ) {
      int colon = f.indexOf(':');
      heads.put(f.substring(0, colon).trim().toLowerCase(Locale.ROOT), f.substring(colon + 1).trim());
    }
    long body;
    if ("chunked".equalsIgnoreCase(heads.get("transfer-encoding"))) {
      body = 0;
      for (long size; (size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0; ) {
        copy(size, body, check);
        body += size;
        readLine();
      }
      while (!readLine().isEmpty()) {
        // trailer fields
      }
    } else {
      body = Long.parseLong(heads.getOrDefault("content-length", "0"));
      copy(body, 0, check);
    }
    return new Response(code, heads, body, sent, firstByte, System.nanoTime());
  }

  private void copy(long length, long offset, BodyCheck check) throws IOException {
    for (long done = 0; done < length; ) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - done));
      if (n < 0) {
        throw new EOFException("the body ended after " + (offset + done) + " bytes");
      }
      if (check != null) {
        check.accept(offset + done, buffer, 0, n);
      }
      done += n;
    }
  }

  /** A line without its CRLF; a line already begun in {@link #line} is continued. */
  private String readLine() throws IOException {
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("the response ended inside a line");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    String s = line.toString();
    line.setLength(0);
    return s;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
