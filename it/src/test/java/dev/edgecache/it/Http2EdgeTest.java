package dev.edgecache.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable edge over HTTP/2: cleartext h2c on its port with {@code --h2c}, and h2 over TLS
 * chosen by ALPN on {@code --tls-port}; what clients get is what they get over HTTP/1.1.
 */
class Http2EdgeTest {
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static final String TOKEN = "an-admin-token-for-the-h2-test";
  /** Opened by a test to let {@code /slow} answer. */
  private static volatile java.util.concurrent.CountDownLatch slowGate = new java.util.concurrent.CountDownLatch(0);
  private static final byte[] LARGE = new byte[3 * 1024 * 1024 + 17];
  private static TestOrigin origin;
  private static EdgeProcess edge;
  private static int tlsPort;
  @TempDir
  static File keys;

  static {
    for (int i = 0; i < LARGE.length; i++) {
      LARGE[i] = (byte) (i * 31);
    }
  }

  /** The origin: a page, a large body, a slow page, and one that breaks off midway. */
  public static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      int n = CALLS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      res.setHeader("Cache-Control", "max-age=60");
      switch (path) {
        case "/large" -> {
          res.setContentLength(LARGE.length);
          res.getOutputStream().write(LARGE);
        }
        case "/slow" -> {
          try {
            if (!slowGate.await(30, TimeUnit.SECONDS)) {
              throw new IOException("the test never opened the gate");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          res.getWriter().print("slow " + n);
        }
        case "/broken" -> {
          res.setContentLength(100_000);
          res.getOutputStream().write(new byte[10_000]);
          res.flushBuffer();
          throw new IOException("the origin fails midway");
        }
        default -> res.getWriter().print("page " + path + " " + n);
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    File store = new File(keys, "edge.p12");
    Process keytool = new ProcessBuilder(System.getProperty("java.home") + "/bin/keytool", "-genkeypair",
        "-alias", "edge", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.getPath(), "-storepass", "test-pass", "-keypass", "test-pass")
        .redirectErrorStream(true).start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made no key store");
    File password = new File(keys, "pass");
    Files.writeString(password.toPath(), "test-pass\n");
    File token = new File(keys, "token");
    Files.writeString(token.toPath(), TOKEN + "\n");
    try (ServerSocket free = new ServerSocket(0)) {
      tlsPort = free.getLocalPort();
    }
    origin = new TestOrigin(new Origin());
    edge = new EdgeProcess("--origin", origin.url(), "--h2c", "--tls-port", Integer.toString(tlsPort),
        "--key-store", store.getPath(), "--key-store-password-file", password.getPath(),
        "--admin-token-file", token.getPath());
  }

  /** The requests waiting for another's fill, by the edge's own count. */
  private static int waiters() throws Exception {
    HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(edge.url() + "/_edge/stats")).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"waiters\":(\\d+)").matcher(stats.body());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private static HttpClient h2c() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpClient tls(HttpClient.Version version) throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return HttpClient.newBuilder().version(version).sslContext(trustAll).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest get(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build();
  }

  private static String status(HttpResponse<?> r) {
    return r.headers().firstValue("cache-status").orElse("");
  }

  @Test
  void aPageIsStoredAndHitOverCleartextHttp2() throws Exception {
    HttpClient client = h2c();
    client.send(get(edge.url(), "/warm-up"), HttpResponse.BodyHandlers.ofString()); // the Upgrade to h2c
    HttpResponse<String> first = client.send(get(edge.url(), "/page"), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, first.version());
    assertEquals("page /page 1", first.body());
    assertTrue(status(first).contains("stored"), status(first));
    HttpResponse<String> again = client.send(get(edge.url(), "/page"), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, again.version());
    assertEquals("page /page 1", again.body());
    assertTrue(status(again).startsWith("edgecache; hit"), status(again));
  }

  @Test
  void aLargeBodyReachesEveryClientWholeOverTls() throws Exception {
    HttpClient client = tls(HttpClient.Version.HTTP_2);
    String base = "https://127.0.0.1:" + tlsPort;
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = client.send(get(base, "/large"), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_2, r.version(), "ALPN chose h2");
      assertArrayEquals(LARGE, r.body());
    }
    assertEquals(1, CALLS.get("/large").get());
    HttpResponse<byte[]> http11 = tls(HttpClient.Version.HTTP_1_1).send(get(base, "/large"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(HttpClient.Version.HTTP_1_1, http11.version(), "a client that offers HTTP/1.1 alone gets it");
    assertArrayEquals(LARGE, http11.body());
    assertTrue(status(http11).startsWith("edgecache; hit"), status(http11));
  }

  @Test
  void concurrentStreamsOnOneConnectionCollapseIntoOneOriginCall() throws Exception {
    HttpClient client = tls(HttpClient.Version.HTTP_2);
    String base = "https://127.0.0.1:" + tlsPort;
    client.send(get(base, "/warm-up-tls"), HttpResponse.BodyHandlers.ofString());
    slowGate = new java.util.concurrent.CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(client.sendAsync(get(base, "/slow"), HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (waiters() < 49 && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // every stream but the first waits for its fill: then the origin answers
    }
    slowGate.countDown();
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals("slow 1", r.body());
    }
    assertEquals(1, CALLS.get("/slow").get());
  }

  @Test
  void aBodyTheOriginBreaksOffIsBrokenOffOverHttp2Too() throws Exception {
    HttpClient client = h2c();
    client.send(get(edge.url(), "/warm-up-broken"), HttpResponse.BodyHandlers.ofString());
    IOException broken = assertThrows(IOException.class,
        () -> client.send(get(edge.url(), "/broken"), HttpResponse.BodyHandlers.ofByteArray()));
    assertTrue(broken.getMessage() != null, "a stream reset, never a short body that looks whole");
    // and the connection's other streams go on
    assertEquals("page /after 1", client.send(get(edge.url(), "/after"), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void withoutH2cAClientThatOffersTheUpgradeStaysOnHttp11() throws Exception {
    try (EdgeProcess plain = new EdgeProcess("--origin", origin.url())) {
      HttpClient client = h2c();
      for (int i = 0; i < 2; i++) {
        // (the client offers the upgrade to h2c by itself)
        HttpResponse<String> r = client.send(get(plain.url(), "/plain"), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals(200, r.statusCode());
      }
    }
  }

  @Test
  void tlsOptionsThatCannotWorkStopTheEdgeWithTheirFix() throws Exception {
    EdgeProcess.Failure alone = EdgeProcess.runToEnd("--origin", origin.url(), "--tls-port", "0");
    assertEquals(2, alone.exitStatus());
    assertTrue(alone.standardError().contains("--tls-port and --key-store go together"), alone.standardError());
    File missing = new File(keys, "missing.p12");
    File password = new File(keys, "pass");
    EdgeProcess.Failure noFile = EdgeProcess.runToEnd("--origin", origin.url(), "--tls-port", "0",
        "--key-store", missing.getPath(), "--key-store-password-file", password.getPath());
    assertEquals(2, noFile.exitStatus());
    assertTrue(noFile.standardError().contains("is not a readable file"), noFile.standardError());
    assertEquals(1, noFile.standardError().lines().filter(l -> l.startsWith("edgecache-sample:")).count(),
        noFile.standardError());
    File wrong = new File(keys, "wrong");
    Files.writeString(wrong.toPath(), "not-the-password\n");
    EdgeProcess.Failure badPassword = EdgeProcess.runToEnd("--origin", origin.url(), "--tls-port", "0",
        "--key-store", new File(keys, "edge.p12").getPath(), "--key-store-password-file", wrong.getPath());
    assertEquals(2, badPassword.exitStatus());
    assertTrue(badPassword.standardError().contains("does not open with the password given"), badPassword.standardError());
  }
}
