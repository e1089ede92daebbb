package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 103 Early Hints from the preload links of a stored page, while the origin works. */
class FilterEarlyHintsTest {
  private final OriginServlet origin = new OriginServlet();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    jetty = new JettyHarness(origin, null, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  /** Everything the server sent for one request, interim responses included, as text. */
  private String exchange(String requestLine, String... fields) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), jetty.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      StringBuilder head = new StringBuilder(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
      for (String f : fields) {
        head.append(f).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aRevalidatedPageSendsItsPreloadLinksFirst() throws IOException {
    String first = exchange("GET /html-links HTTP/1.1");
    assertTrue(first.startsWith("HTTP/1.1 200"), first);
    String second = exchange("GET /html-links HTTP/1.1");
    assertTrue(second.startsWith("HTTP/1.1 103"), second);
    String interim = second.substring(0, second.indexOf("\r\n\r\n"));
    assertTrue(interim.contains("</style.css>; rel=preload; as=style"), interim);
    assertTrue(interim.contains("<https://cdn.example>; rel=preconnect"), interim);
    assertFalse(interim.contains("rel=next"), "only what a client can act on early: " + interim);
    String last = second.substring(second.indexOf("\r\n\r\n") + 4);
    assertTrue(last.startsWith("HTTP/1.1 200"), last);
    assertTrue(last.endsWith("page 2"), last);
    // the final response has the origin's own links, once each
    assertEquals(1, last.split("style.css", -1).length - 1, last);
    assertEquals(2, origin.calls("/html-links"));
  }

  @Test
  void noHintsWhereTheyCouldBeWrongOrCannotBeRead() throws IOException {
    for (String path : new String[] {"/html-vary", "/text-links"}) {
      exchange("GET " + path + " HTTP/1.1");
      String again = exchange("GET " + path + " HTTP/1.1");
      assertTrue(again.startsWith("HTTP/1.1 200"), path + ": " + again);
    }
    exchange("GET /html-links HTTP/1.1");
    assertTrue(exchange("GET /html-links HTTP/1.0").startsWith("HTTP/1.1 200"), "no 1xx to an HTTP/1.0 client");
    assertTrue(exchange("HEAD /html-links HTTP/1.1").startsWith("HTTP/1.1 200"), "a HEAD is no navigation");
  }
}
