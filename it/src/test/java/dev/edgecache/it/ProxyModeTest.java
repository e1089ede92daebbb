package dev.edgecache.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runnable jar as an edge in front of an origin server that the test runs. */
class ProxyModeTest {
  private static final String TOKEN = "proxy-admin-token-0123456789";
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static volatile CountDownLatch streamGate = new CountDownLatch(0);
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  /** The origin: each path behaves in one way; every call is counted. */
  public static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      int n = CALLS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      switch (path) {
        case "/cold" -> {
          sleep(500);
          res.setHeader("Cache-Control", "max-age=60");
          res.getWriter().print("cold " + n);
        }
        case "/stream" -> {
          res.setHeader("Cache-Control", "max-age=60");
          res.getOutputStream().write("first-bytes;".getBytes(StandardCharsets.US_ASCII));
          res.flushBuffer();
          await(streamGate);
          res.getOutputStream().write("rest".getBytes(StandardCharsets.US_ASCII));
        }
        case "/sie" -> {
          res.setHeader("Cache-Control", "max-age=1, stale-if-error=600");
          res.getWriter().print("sie " + n);
        }
        case "/hints" -> {
          // an interim 103 with its own fields, then the final response without them
          res.setHeader("Link", "</style.css>; rel=preload; as=style");
          res.setHeader("X-Interim-Only", "yes");
          res.sendError(103);
          res.setHeader("Link", null);
          res.setHeader("X-Interim-Only", null);
          res.setHeader("Cache-Control", "max-age=60");
          res.getWriter().print("hints " + n);
        }
        case "/plain" -> {
          res.setHeader("Cache-Control", "max-age=1");
          res.getWriter().print("plain " + n);
        }
        case "/must-revalidate" -> {
          res.setHeader("Cache-Control", "max-age=1, must-revalidate");
          res.getWriter().print("must-revalidate " + n);
        }
        case "/tagged" -> {
          res.setHeader("Cache-Control", "max-age=600");
          res.setHeader("Surrogate-Key", "news");
          res.getWriter().print("tagged " + n);
        }
        case "/echo" -> {
          SEEN.put("x-forwarded-for", String.valueOf(req.getHeader("X-Forwarded-For")));
          SEEN.put("via", String.valueOf(req.getHeader("Via")));
          SEEN.put("x-private", String.valueOf(req.getHeader("X-Private")));
          SEEN.put("method", req.getMethod());
          SEEN.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
          res.setStatus(599);
          res.addHeader("X-Multi", "one");
          res.addHeader("X-Multi", "two");
          res.setHeader("Location", "http://elsewhere.example/next");
          res.setHeader("Connection", "X-Hop");
          res.setHeader("X-Hop", "must not pass");
          res.getWriter().print("echo");
        }
        default -> res.sendError(404);
      }
    }
  }

  private TestOrigin origin;
  private EdgeProcess edge;

  @BeforeEach
  void start() throws Exception {
    CALLS.clear();
    origin = new TestOrigin(new Origin());
    edge = new EdgeProcess("--origin", origin.url(), "--admin-token", TOKEN,
        "--connect-timeout", "2", "--idle-timeout", "5");
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = edge.port();
  }

  @AfterEach
  void stop() throws Exception {
    streamGate.countDown();
    edge.close();
    origin.close();
  }

  private static int calls(String path) {
    AtomicInteger n = CALLS.get(path);
    return n == null ? 0 : n.get();
  }

  @Test
  void twoHundredConcurrentRequestsOnAColdUrlMakeOneOriginRequest() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return client.send(HttpRequest.newBuilder(URI.create(edge.url() + "/cold")).build(),
              HttpResponse.BodyHandlers.ofString());
        }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("cold 1", r.body());
      }
      assertEquals(1, calls("/cold"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSlowOriginsFirstBytesReachTheClientBeforeItFinishes() throws Exception {
    streamGate = new CountDownLatch(1);
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(edge.url() + "/stream")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] first = in.readNBytes("first-bytes;".length());
      assertEquals("first-bytes;", new String(first, StandardCharsets.US_ASCII));
      assertEquals(1, streamGate.getCount(), "the origin is still held while the client reads");
      streamGate.countDown();
      assertEquals("rest", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
    given().get("/stream").then().body(equalTo("first-bytes;rest")).header("Cache-Status", containsString("hit"));
  }

  @Test
  void aStoppedOriginGivesTheStaleObjectOrA502() throws Exception {
    given().get("/sie").then().body(equalTo("sie 1"));
    given().get("/plain").then().body(equalTo("plain 1"));
    given().get("/must-revalidate").then().body(equalTo("must-revalidate 1"));
    origin.close();
    Thread.sleep(1_500); // past max-age=1: usable only if the origin fails
    given().get("/sie").then().statusCode(200).body(equalTo("sie 1"))
        .header("Cache-Status", containsString("stale-if-error"));
    // an origin that cannot be reached: stale unless the response forbids it (RFC 9111 §4.2.4)
    given().get("/plain").then().statusCode(200).body(equalTo("plain 1"))
        .header("Cache-Status", containsString("origin-unreachable"));
    given().get("/must-revalidate").then().statusCode(502);
    given().get("/tagged").then().statusCode(502);
  }

  @Test
  void interimResponsesReachTheClientAndAreNeverStored() throws Exception {
    String raw;
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /hints HTTP/1.1\r\nHost: 127.0.0.1:" + edge.port() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertTrue(raw.startsWith("HTTP/1.1 103 "), raw);
    int finalAt = raw.indexOf("HTTP/1.1 200 ");
    assertTrue(finalAt > 0, raw);
    String interim = raw.substring(0, finalAt);
    String last = raw.substring(finalAt);
    assertTrue(interim.contains("Link: </style.css>; rel=preload; as=style"), interim);
    assertTrue(interim.contains("X-Interim-Only: yes"), interim);
    assertTrue(!last.contains("X-Interim-Only") && !last.contains("Link:"), last);
    assertTrue(last.contains("hints 1"), last);
    given().get("/hints").then().statusCode(200).body(equalTo("hints 1"))
        .header("Cache-Status", containsString("hit")).header("Link", nullValue())
        .header("X-Interim-Only", nullValue());
    assertEquals(1, calls("/hints"));
  }

  @Test
  void aPurgeByTagReachesTheOriginAgain() {
    given().get("/tagged").then().body(equalTo("tagged 1"));
    given().get("/tagged").then().body(equalTo("tagged 1"));
    given().header("Authorization", "Bearer " + TOKEN).formParam("tag", "news").post("/_edge/purge")
        .then().statusCode(200);
    given().get("/tagged").then().body(equalTo("tagged 2"));
  }

  @Test
  void methodsBodiesStatusesAndFieldsPassAsAProxyShould() {
    var r = given().header("X-Forwarded-For", "6.6.6.6").header("Connection", "X-Private")
        .header("X-Private", "hop only").body("payload").put("/echo").then().statusCode(599).extract();
    assertEquals("echo", r.asString());
    assertEquals(List.of("one", "two"), r.headers().getValues("X-Multi"));
    assertEquals("http://elsewhere.example/next", r.header("Location"));
    assertEquals(null, r.header("X-Hop"));
    assertTrue(r.header("Via").matches("1\\.1 edgecache-[0-9a-f]+"), r.header("Via"));
    assertEquals("127.0.0.1", SEEN.get("x-forwarded-for"), "the client's X-Forwarded-For is not trusted");
    assertEquals("null", SEEN.get("x-private"), "a field the client's Connection names does not pass");
    assertEquals("PUT", SEEN.get("method"));
    assertEquals("payload", SEEN.get("body"));
    assertEquals(r.header("Via"), SEEN.get("via"), "one Via entry of the edge's own, both ways");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch gate) {
    try {
      gate.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
