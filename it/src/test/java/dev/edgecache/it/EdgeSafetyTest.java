package dev.edgecache.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.testing.HostileOrigin;
import dev.edgecache.testing.RawHttp;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable edge in front of a hostile origin (one that reflects what it is sent into its
 * answer and records every request): what a client that attacks the edge, or an origin that
 * misbehaves, must never achieve.
 */
class EdgeSafetyTest {
  private static final HostileOrigin HOSTILE = new HostileOrigin();
  private static TestOrigin origin;
  private static EdgeProcess edge;

  @BeforeAll
  static void start() throws Exception {
    origin = new TestOrigin(HOSTILE);
    edge = new EdgeProcess("--origin", origin.url(), "--param", "ignore-cookies=_ga*",
        "--param", "lock-timeout-ms=1000");
    RestAssured.baseURI = "http://127.0.0.1";
  }

  @AfterAll
  static void stop() {
    edge.close();
    origin.close();
  }

  /** A request to the edge whose URL is sent as written. */
  private static RequestSpecification given() {
    return RestAssured.given().port(edge.port()).urlEncodingEnabled(false);
  }

  /** What the origin saw of the requests for this path. */
  private static List<HostileOrigin.Seen> seenAt(String path) {
    List<HostileOrigin.Seen> out = new ArrayList<>();
    for (HostileOrigin.Seen s : HOSTILE.seen) {
      if (s.uri().equals(path)) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void concurrentClientsWithTheirOwnCookiesEachGetTheirOwnPage() throws Exception {
    for (String cc : List.of("", "max-age%3D0", "no-cache", "must-revalidate")) {
      String path = "/collapse-" + cc.replace("%3D", "");
      CountDownLatch gate = new CountDownLatch(1);
      HOSTILE.gates.put(path, gate);
      int clients = 10;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        String cookie = "user=u" + i;
        answers.add(pool.submit(() -> given().header("Cookie", cookie).get(path + "?cc=" + cc)));
      }
      Thread.sleep(500); // the others reach the edge and wait behind the first
      gate.countDown();
      for (int i = 0; i < clients; i++) {
        Response r = answers.get(i).get(30, TimeUnit.SECONDS);
        assertTrue(r.asString().contains("cookie=user=u" + i + " "), cc + ": client " + i + " got " + r.asString());
        assertFalse(r.header("Cache-Status").contains("hit"), r.header("Cache-Status"));
      }
      pool.shutdown();
      assertEquals(clients, HOSTILE.calls(path), cc);
    }
  }

  @Test
  void aStalledOriginMakesNoWaiterWaitPastTheLockTimeout() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    HOSTILE.gates.put("/stall", gate);
    int clients = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Response>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      answers.add(pool.submit(() -> given().get("/stall?cc=max-age%3D60")));
    }
    // only the first request stalls: a waiter that took the key over would answer the others
    for (int i = 0; i < 400 && HOSTILE.calls("/stall") < clients; i++) {
      Thread.sleep(25);
    }
    assertEquals(clients, HOSTILE.calls("/stall"), "every waiter asked the origin itself");
    gate.countDown();
    for (Future<Response> a : answers) {
      assertEquals(200, a.get(30, TimeUnit.SECONDS).statusCode());
    }
    pool.shutdown();
  }

  @Test
  void anOriginThatDiesHalfwayLeavesNothingStored() throws Exception {
    for (int i = 0; i < 2; i++) {
      try {
        RawHttp.Answer cut = RawHttp.get(edge.port(), "/truncated?cc=max-age%3D60&truncate=1");
        // a 502 if the origin failed before any of its body reached this client
        assertTrue(cut.status() == 502 || cut.body().length() < Integer.parseInt(cut.field("Content-Length")),
            "the client sees it end short, or fail: " + cut);
      } catch (IOException endedShort) {
        // the edge cut the connection: the client knows the response is incomplete
      }
    }
    assertEquals(2, HOSTILE.calls("/truncated"));
  }

  @Test
  void aPagePersonalisedByCookieReachesNoOtherClient() {
    String alice = given().header("Cookie", "session=alice").get("/personal?cc=max-age%3D60").asString();
    assertTrue(alice.contains("cookie=session=alice"), alice);
    String other = given().get("/personal?cc=max-age%3D60").asString();
    assertTrue(other.contains("cookie=none"), other);
    // an analytics cookie the edge was told to ignore does not make the page personal
    given().header("Cookie", "_ga=GA1.2.3").get("/analytics?cc=max-age%3D60");
    assertTrue(given().get("/analytics?cc=max-age%3D60").header("Cache-Status").startsWith("edgecache; hit"));
  }

  @Test
  void aFatGetReachesTheOriginButIsNeverStored() throws Exception {
    String form = "q=evil";
    RawHttp.Answer fat = RawHttp.send(edge.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length(), form);
    assertTrue(fat.field("Cache-Status").contains("fwd=bypass"), fat.field("Cache-Status"));
    String clean = given().get("/fat?cc=max-age%3D60").asString();
    assertTrue(clean.contains("body=none"), clean);
  }

  @Test
  void overrideAndForwardingFieldsCannotPoisonThePage() {
    given().header("X-HTTP-Method-Override", "DELETE").get("/override?cc=max-age%3D60&status=405");
    given().header("X-Original-URL", "/admin").get("/override?cc=max-age%3D60");
    given().header("X-Forwarded-Host", "evil.example").get("/override?cc=max-age%3D60");
    Response plain = given().get("/override?cc=max-age%3D60");
    assertEquals(200, plain.statusCode());
    assertTrue(plain.asString().contains("override=none original-url=none"), plain.asString());
    for (HostileOrigin.Seen s : seenAt("/override")) {
      assertFalse("evil.example".equals(s.fields().get("x-forwarded-host")), "the client's X-Forwarded-Host passed");
    }
  }

  @Test
  void theOriginSeesExactlyTheTargetThatWasKeyed() throws Exception {
    for (String raw : List.of("/target;evil=1", "/%74arget", "/z/../target", "/./target")) {
      RawHttp.get(edge.port(), raw + "?cc=max-age%3D60");
    }
    RawHttp.Answer clean = RawHttp.get(edge.port(), "/target?cc=max-age%3D60");
    assertEquals(200, clean.status());
    assertTrue(clean.body().contains("uri=/target "), clean.body());
    RawHttp.Answer hit = RawHttp.get(edge.port(), "/target?cc=max-age%3D60");
    assertTrue(hit.body().contains("uri=/target "), hit.body());
  }

  private static boolean hit(RawHttp.Answer a) {
    String status = a.field("Cache-Status");
    return status != null && status.startsWith("edgecache; hit");
  }

  /**
   * Characters no URI may hold, as browsers leave some of them in a query: the origin is sent
   * their only valid spelling, and the key is made of that same form.
   */
  @Test
  void aQueryWithCharactersNoUriMayHoldIsForwardedInTheFormItWasKeyedBy() throws Exception {
    RawHttp.Answer first = RawHttp.get(edge.port(), "/q?cc=max-age%3D60&f={\"a\":1|2}");
    assertEquals(200, first.status(), first.body());
    assertEquals("cc=max-age%3D60&f=%7B%22a%22:1%7C2%7D", seenAt("/q").get(0).query());
    assertTrue(hit(RawHttp.get(edge.port(), "/q?cc=max-age%3D60&f=%7B%22a%22:1%7C2%7D")));
    assertTrue(hit(RawHttp.get(edge.port(), "/q?cc=max-age%3D60&f={\"a\":1|2}")));
    assertEquals(1, HOSTILE.calls("/q"));
  }

  /**
   * Raw bytes outside ASCII, or a {@code %} that starts no escape, have no one URI form: such a
   * query is forwarded in a valid form (UTF-8 escaped, {@code %25}) and never stored; bytes that
   * are not UTF-8 cannot be forwarded at all and get 400.
   */
  @Test
  void aQueryWithRawBytesOrABadEscapeIsNeverStored() throws Exception {
    for (String q : List.of("a=%zz", "a=%zz", "a=\u00c3\u00a9", "a=\u00c3\u00a9")) {
      RawHttp.Answer a = RawHttp.get(edge.port(), "/raw?cc=max-age%3D60&" + q);
      assertEquals(200, a.status(), a.body());
      assertFalse(hit(a), q + ": " + a.field("Cache-Status"));
    }
    assertEquals(4, HOSTILE.calls("/raw"));
    assertEquals("cc=max-age%3D60&a=%25zz", seenAt("/raw").get(0).query());
    assertEquals("cc=max-age%3D60&a=%C3%A9", seenAt("/raw").get(2).query());
    RawHttp.Answer notUtf8 = RawHttp.get(edge.port(), "/raw?cc=max-age%3D60&a=\u00e9");
    assertEquals(400, notUtf8.status());
    assertEquals(4, HOSTILE.calls("/raw"), "the origin never saw it");
  }

  @Test
  void anOriginsAuthenticationStatusesPassAsTheyAre() throws Exception {
    RawHttp.Answer unauthorized = RawHttp.get(edge.port(), "/auth401?status=401&cc=no-store");
    assertEquals(401, unauthorized.status());
    assertTrue(unauthorized.body().startsWith("n=1 "), unauthorized.body());
    RawHttp.Answer proxyAuth = RawHttp.get(edge.port(), "/auth407?status=407&cc=no-store");
    assertEquals(407, proxyAuth.status());
    assertTrue(proxyAuth.body().startsWith("n=1 "), proxyAuth.body());
  }

  /** RFC 9110 §7.6.2: the edge answers a TRACE or OPTIONS with no forwards left itself. */
  @Test
  void maxForwardsIsObeyedAndCountedDown() throws Exception {
    RawHttp.Answer trace = RawHttp.send(edge.port(), "TRACE /mf HTTP/1.1\r\nMax-Forwards: 0\r\nCookie: s=1", "");
    assertEquals(405, trace.status());
    assertFalse(trace.body().contains("s=1"), "a TRACE is not reflected");
    RawHttp.Answer options = RawHttp.send(edge.port(), "OPTIONS /mf HTTP/1.1\r\nMax-Forwards: 0", "");
    assertEquals(200, options.status());
    assertEquals(0, HOSTILE.calls("/mf"));
    RawHttp.send(edge.port(), "OPTIONS /mf HTTP/1.1\r\nMax-Forwards: 3", "");
    assertEquals("2", seenAt("/mf").get(0).fields().get("max-forwards"));
  }

  @Test
  void aFieldNamedInConnectionSelectsNoVariant() throws Exception {
    RawHttp.Answer first = RawHttp.get(edge.port(), "/cors?cc=max-age%3D60&vary=Origin",
        "Origin: https://a.example", "Connection: Origin, close");
    assertNull(first.field("Access-Control-Allow-Origin"));
    Response cors = given().header("Origin", "https://a.example").get("/cors?cc=max-age%3D60&vary=Origin");
    assertEquals("https://a.example", cors.header("Access-Control-Allow-Origin"));
  }

  @Test
  void fieldsLargerThanTheEdgesLimitGet431FromTheEdge() throws Exception {
    int before = HOSTILE.calls("/huge");
    RawHttp.Answer huge = RawHttp.get(edge.port(), "/huge?cc=max-age%3D60", "X-Big: " + "a".repeat(20_000));
    assertEquals(431, huge.status());
    assertEquals(before, HOSTILE.calls("/huge"), "the origin never saw it");
  }

  @Test
  void anErrorIsKeptTenSecondsAtMostAndA400Never() {
    Response unavailable = given().get("/err503?status=503&cc=max-age%3D86400");
    // 9 if the Date's second turned while the response was made
    assertTrue(unavailable.header("Cache-Status").matches(".*stored; ttl=(10|9)\\b.*"),
        unavailable.header("Cache-Status"));
    given().get("/err400?status=400&cc=public,max-age%3D86400");
    given().get("/err400?status=400&cc=public,max-age%3D86400");
    assertEquals(2, HOSTILE.calls("/err400"));
  }

  @Test
  void fieldValuesPassInTheirOwnCaseOnAReusedConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", edge.port())) {
      s.setSoTimeout(20_000);
      String a = exchange(s, "/case-a?cc=no-store,%20X-Token", "Authorization: Bearer ABCdef", "User-Agent: Agent/One");
      String b = exchange(s, "/case-b?cc=no-store,%20x-token", "Authorization: Bearer abcDEF", "User-Agent: agent/one");
      assertTrue(a.contains("\r\nCache-Control: no-store, X-Token\r\n"), a);
      assertTrue(b.contains("\r\nCache-Control: no-store, x-token\r\n"), b);
    }
    assertEquals("Bearer ABCdef", seenAt("/case-a").get(0).fields().get("authorization"));
    assertEquals("Bearer abcDEF", seenAt("/case-b").get(0).fields().get("authorization"));
    assertEquals("agent/one", seenAt("/case-b").get(0).fields().get("user-agent"));
  }

  /** One request on a kept-alive connection; the response head and body as text. */
  private static String exchange(Socket s, String target, String... fields) throws IOException {
    StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String f : fields) {
      head.append(f).append("\r\n");
    }
    OutputStream out = s.getOutputStream();
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    while (!text.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the edge closed the connection: " + text);
      }
      text.write(c);
    }
    String response = text.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : response.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return response + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Test
  void theOriginSeesTheClientsAcceptEncodingOnlyAndBodiesPassEncoded() throws Exception {
    RawHttp.Answer gz = RawHttp.get(edge.port(), "/enc?cc=max-age%3D60&gzip=1", "Accept-Encoding: gzip");
    assertEquals("gzip", gz.field("Content-Encoding"));
    byte[] raw = gz.body().getBytes(StandardCharsets.ISO_8859_1);
    assertTrue(raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b,
        "the body reaches the client gzip-encoded, as the origin sent it");
    String text = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes(),
        StandardCharsets.UTF_8);
    assertTrue(text.startsWith("n=1 "), text);
    assertEquals("gzip", seenAt("/enc").get(0).fields().get("accept-encoding"));
    RawHttp.get(edge.port(), "/enc-br?cc=no-store", "Accept-Encoding: br");
    RawHttp.get(edge.port(), "/enc-none?cc=no-store", "Accept-Encoding: identity");
    assertEquals("br", seenAt("/enc-br").get(0).fields().get("accept-encoding"));
    assertEquals("identity", seenAt("/enc-none").get(0).fields().get("accept-encoding"));
    RawHttp.get(edge.port(), "/enc-absent?cc=no-store");
    assertNull(seenAt("/enc-absent").get(0).fields().get("accept-encoding"));
  }

  @Test
  void anEdgeInFrontOfItselfAnswers508AtOnce() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (EdgeProcess loop = new EdgeProcess("--origin", "http://127.0.0.1:" + port, "--bind", "127.0.0.1",
        "--port", Integer.toString(port), "--idle-timeout", "60")) {
      RawHttp.Answer answer = RawHttp.get(loop.port(), "/loop");
      assertEquals(508, answer.status());
    }
  }

  @Test
  void aStoppedOriginGivesAFixedTextThatSaysNothingOfIt() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (EdgeProcess nowhere = new EdgeProcess("--origin", "http://127.0.0.1:" + port)) {
      RawHttp.Answer answer = RawHttp.get(nowhere.port(), "/anything");
      assertEquals(502, answer.status());
      assertEquals("502 Bad Gateway\n", answer.body());
    }
  }

  @Test
  void aBadParamStopsTheEdgeSayingWhich() throws Exception {
    EdgeProcess.Failure unknown = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:1", "--param", "ignore-cookie=x");
    assertEquals(2, unknown.exitStatus());
    assertTrue(unknown.standardError().contains("ignore-cookie=x"), unknown.standardError());
    EdgeProcess.Failure bad = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:1", "--param", "error-max-age=soon");
    assertEquals(2, bad.exitStatus());
    assertTrue(bad.standardError().contains("error-max-age"), bad.standardError());
  }
}
