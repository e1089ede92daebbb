package dev.edgecache.it.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 client for the matrix that tells a whole response from a short one: it never
 * retries, and reads the body by its framing (a declared length, chunks up to the last one), so a
 * response the server broke off is seen as such, whatever the container does.
 */
final class MatrixClient {
  private MatrixClient() {}

  /**
   * A response: its status ({@code -1} if none arrived), its fields by lower-case name, its body,
   * and whether the body ended as its framing says.
   */
  record Reply(int status, Map<String, String> fields, byte[] body, boolean whole) {
    String field(String name) {
      return fields.get(name.toLowerCase(Locale.ROOT));
    }

    String cacheStatus() {
      String s = field("Cache-Status");
      return s == null ? "" : s;
    }

    int call() {
      String n = field("X-Call");
      return n == null ? -1 : Integer.parseInt(n);
    }

    @Override
    public String toString() {
      return status + " [" + cacheStatus() + "] X-Call " + field("X-Call") + ", " + body.length + " bytes"
          + (whole ? "" : ", broken off");
    }
  }

  /** Sends {@code method path} and reads the response. */
  static Reply ask(int port, String method, String path, String... fields) {
    return ask(port, method, path, () -> { }, fields);
  }

  /** As {@link #ask(int, String, String, String...)}, running {@code sent} once the request is on the wire. */
  static Reply ask(int port, String method, String path, Runnable sent, String... fields) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      send(s, method, path, port, fields);
      sent.run();
      return read(s.getInputStream(), "HEAD".equals(method));
    } catch (IOException e) {
      return new Reply(-1, Map.of(), new byte[0], false);
    }
  }

  /** Sends the request, reads the status line and one byte more, then resets the connection. */
  static void leave(int port, String method, String path, String... fields) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      send(s, method, path, port, fields);
      InputStream in = s.getInputStream();
      in.read(); // the first byte of the response: the application has started answering
      s.setSoLinger(true, 0); // a reset, as a client that goes away sends
    }
  }

  private static void send(Socket s, String method, String path, int port, String... fields) throws IOException {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    for (String f : fields) {
      head.append(f).append("\r\n");
    }
    OutputStream out = s.getOutputStream();
    // no "Connection: close": a server may then end a body by closing, and a body broken off
    // would look whole; kept alive, the body's framing says where it ends
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static Reply read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        return new Reply(-1, Map.of(), new byte[0], false);
      }
      headBytes.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    if (head || status == 304 || status == 204 || status < 200) {
      return new Reply(status, fields, new byte[0], true);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean whole;
    try {
      if ("chunked".equalsIgnoreCase(fields.get("transfer-encoding"))) {
        whole = dechunk(in, body);
      } else if (fields.containsKey("content-length")) {
        long length = Long.parseLong(fields.get("content-length"));
        body.write(in.readNBytes((int) length));
        whole = body.size() == length;
      } else {
        body.write(in.readAllBytes()); // delimited by the connection's close: HTTP/1.0 framing
        whole = false;
      }
    } catch (IOException brokenOff) {
      whole = false;
    }
    return new Reply(status, fields, body.toByteArray(), whole);
  }

  /** Reads chunks into {@code body}; whether the last chunk came. */
  private static boolean dechunk(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String line = line(in);
      if (line == null) {
        return false;
      }
      int size = Integer.parseInt(line.split(";")[0].trim(), 16);
      if (size == 0) {
        return line(in) != null; // the empty line after the last chunk (no trailers here)
      }
      byte[] chunk = in.readNBytes(size);
      body.write(chunk);
      if (chunk.length < size || line(in) == null) {
        return false;
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        return b.toString().strip();
      }
      b.append((char) c);
    }
    return null;
  }
}
