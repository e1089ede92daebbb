package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a user of the filter relies on, whatever the container: one specification, run on each
 * container by a subclass. Containers differ in when a response commits, which errors an async
 * listener hears and when they add {@code Date}; none of that may change what a client gets. A
 * container that cannot stop (its workers stuck) fails its test instead of holding up the run.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ContainerSpec {
  private final SpecApp app = new SpecApp();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private EmbeddedContainer container;

  /** The container this run of the specification is on. */
  abstract EmbeddedContainer.Kind kind();

  private void start(Map<String, String> filterParams) throws Exception {
    container = kind().start(app, filterParams);
  }

  private void start() throws Exception {
    start(Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    app.midway.countDown();
    if (container != null) {
      container.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  private HttpResponse<String> query(String type, String content) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + "/query"))
        .header("Content-Type", type).method("QUERY", HttpRequest.BodyPublishers.ofString(content))
        .timeout(Duration.ofSeconds(30)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aQueryIsCachedUnderItsContentWhicheverWayTheApplicationReadsIt() throws Exception {
    start();
    for (String type : List.of("text/plain", "application/json")) {
      HttpResponse<String> first = query(type, "q=shoes");
      assertEquals(200, first.statusCode());
      String body = first.body();
      assertTrue(body.startsWith("QUERY ") && body.endsWith(" q=shoes"), body);
      HttpResponse<String> again = query(type, "q=shoes");
      assertEquals(body, again.body());
      assertTrue(cacheStatus(again).startsWith("edgecache; hit"), cacheStatus(again));
      assertTrue(query(type, "q=boots").body().endsWith(" q=boots"));
    }
    assertEquals(4, app.calls("/query"));
    assertTrue(get("/query").body().startsWith("GET 5"), "a GET is another request");
  }

  /** Everything the container sent for a GET of {@code path}, interim responses included. */
  private String rawGet(String path) throws IOException {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), container.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Whether the container writes an interim response for {@code sendError(103)}. */
  boolean sendsEarlyHints() {
    return true;
  }

  @Test
  void aPagesPreloadLinksAreHintedWhileTheOriginWorksWhereTheContainerCan() throws Exception {
    start();
    String first = rawGet("/hinted");
    assertTrue(first.startsWith("HTTP/1.1 200") && first.contains("stored"), first);
    String answer = rawGet("/hinted");
    if (sendsEarlyHints()) {
      assertTrue(answer.startsWith("HTTP/1.1 103"), answer);
      assertTrue(answer.substring(0, answer.indexOf("\r\n\r\n")).contains("</style.css>; rel=preload"), answer);
      answer = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("hinted 2"), answer);
  }

  private static String cacheStatus(HttpResponse<?> r) {
    return r.headers().firstValue("Cache-Status").orElse("");
  }

  @Test
  void aHitIsTheStoredResponseWithTheOriginsDate() throws Exception {
    start();
    HttpResponse<String> first = get("/cacheable");
    assertEquals("cacheable 1", first.body());
    List<String> date = first.headers().allValues("Date");
    assertEquals(1, date.size(), "one Date: " + date);
    Thread.sleep(1_100); // a Date made afresh for the hit would now differ
    HttpResponse<String> hit = get("/cacheable");
    assertTrue(cacheStatus(hit).startsWith("edgecache; hit"), cacheStatus(hit));
    assertEquals("cacheable 1", hit.body());
    assertEquals(date, hit.headers().allValues("Date"), "the hit carries the stored Date, once");
  }

  @Test
  void bodiesAreStoredWholeHoweverTheApplicationWritesThem() throws Exception {
    start();
    for (String path : List.of("/writer", "/async-wrapped", "/async-start")) {
      String body = get(path).body();
      assertFalse(body.isEmpty(), path);
      boolean hit = false;
      for (int i = 0; i < 100 && !hit; i++) {
        HttpResponse<String> again = get(path);
        assertEquals(body, again.body(), path + ": every later client gets the same whole body");
        hit = cacheStatus(again).startsWith("edgecache; hit");
        if (!hit) {
          Thread.sleep(20); // an async fill's completion may still be under way
        }
      }
      assertTrue(hit, path + " was never stored");
      assertEquals(1, app.calls(path), path);
    }
  }

  /**
   * An async servlet that prints its page through the writer without flushing and completes: the
   * writer's bytes reach the client and the object, whichever thread writes and whichever way
   * async was started.
   */
  @Test
  void anAsyncServletsUnflushedWriterReachesEveryClient() throws Exception {
    start();
    for (String path : List.of("/async-print", "/async-print-thread")) {
      HttpResponse<String> first = get(path);
      assertEquals(200, first.statusCode(), path);
      assertTrue(first.body().endsWith(" 1\n"), path + ": the first client got '" + first.body() + "'");
      assertTrue(cacheStatus(first).contains("stored"), path + ": " + cacheStatus(first));
      HttpResponse<String> second = awaitHit(path);
      assertEquals(first.body(), second.body(), path);
      assertEquals(1, app.calls(path), path);
    }
  }

  /** The same servlet for requests that pass (the client says no-store): the body still arrives whole. */
  @Test
  void anAsyncServletsUnflushedWriterReachesAClientThatPasses() throws Exception {
    start();
    for (String path : List.of("/async-print", "/async-print-thread")) {
      for (int i = 1; i <= 2; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path))
            .header("Cache-Control", "no-store").timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        assertEquals(200, r.statusCode(), path);
        assertTrue(r.body().endsWith(" " + i + "\n"), path + ": the client got '" + r.body() + "'");
        assertFalse(cacheStatus(r).contains("stored"), cacheStatus(r));
      }
    }
  }

  /**
   * An object the store refuses is never said to be stored: refused whole for its declared
   * length, or midway for a body of no declared length.
   */
  @Test
  void anObjectTheStoreRefusesIsNeverSaidToBeStored() throws Exception {
    start(Map.of("max-object-bytes", Integer.toString(1024 * 1024)));
    for (String path : List.of("/sized", "/chunked")) {
      HttpResponse<String> big = get(path + "?kib=2048");
      assertEquals(2048 * 1024, big.body().length());
      assertFalse(cacheStatus(big).contains("stored"), path + ": " + cacheStatus(big));
      HttpResponse<String> again = get(path + "?kib=2048");
      assertFalse(cacheStatus(again).contains("hit"), path + ": " + cacheStatus(again));
      assertEquals(2, app.calls(path), path);
    }
    // a small one, whole in the container's buffer when the response ends, is said to be stored
    HttpResponse<String> small = get("/chunked?kib=2");
    assertTrue(cacheStatus(small).contains("stored"), cacheStatus(small));
    assertTrue(cacheStatus(awaitHit("/chunked?kib=2")).startsWith("edgecache; hit"));
  }

  /**
   * A response whose head the container cannot write (larger than it allows) is never stored:
   * else every later client would fail the same way. Its own client gets a 502 where the container
   * lets the filter answer, else the container's own refusal (Jetty answers 500, Tomcat closes
   * the connection); a container without a limit (Undertow) writes it as an ordinary page.
   */
  @Test
  void aHeadTheContainerCannotWriteIsNeverStored() throws Exception {
    start();
    int first = statusOrFailure("/many-fields");
    if (first == 200) {
      HttpResponse<String> again = get("/many-fields");
      assertEquals(200, again.statusCode());
      assertTrue(again.body().startsWith("many fields "), again.body());
      return;
    }
    assertTrue(first == -1 || first >= 500, "first client: " + first);
    int second = statusOrFailure("/many-fields");
    assertTrue(second == -1 || second >= 500, "second client: " + second);
    // (Java's client sends a GET again once when the connection closes without a response)
    assertTrue(app.calls("/many-fields") >= 2, "nothing was stored: the next client went to the application");
  }

  /**
   * A servlet that is not async-supported (Tomcat's {@code DefaultServlet} serving static files):
   * its responses are stored and hit like any other, and nothing is logged as a warning, since a
   * chain that cannot go async is normal.
   */
  @Test
  void aServletThatIsNotAsyncSupportedIsCachedWithoutWarnings() throws Exception {
    try (LogWatch log = new LogWatch()) {
      container = kind().start(new EmbeddedContainer.Deployment(app, Map.of(), false, true));
      for (String path : List.of("/cacheable", "/sized?kib=64", "/chunked?kib=2")) {
        HttpResponse<String> first = get(path);
        assertEquals(200, first.statusCode(), path);
        assertTrue(cacheStatus(first).contains("stored"), path + ": " + cacheStatus(first));
        HttpResponse<String> hit = awaitHit(path);
        assertEquals(first.body(), hit.body(), path);
      }
      assertEquals(List.of(), log.lines(), "warnings logged");
    }
  }

  /** The status of a GET, or -1 if the connection ended without a response. */
  private int statusOrFailure(String path) throws Exception {
    try {
      return get(path).statusCode();
    } catch (IOException noResponse) {
      return -1;
    }
  }

  /** Asks for {@code path} until it is a hit (an async fill may end just after its response). */
  private HttpResponse<String> awaitHit(String path) throws Exception {
    HttpResponse<String> r = null;
    for (int i = 0; i < 100; i++) {
      r = get(path);
      if (cacheStatus(r).startsWith("edgecache; hit")) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(path + " was never a hit: " + cacheStatus(r) + " '" + r.body() + "'");
  }

  @Test
  void aResponseWrittenAroundTheFilterIsNeverStoredEmpty() throws Exception {
    start();
    assertEquals("async around the filter 1", get("/async-plain").body());
    Thread.sleep(100);
    HttpResponse<String> second = get("/async-plain");
    assertFalse(second.body().isEmpty(), "an empty object was stored: " + cacheStatus(second));
  }

  @Test
  void aClientThatLeavesMidwayCutsOffNobodyAndTheObjectIsStored() throws Exception {
    for (String path : List.of("/large", "/async-large")) {
      start();
      app.midway = new CountDownLatch(1);
      try (Socket leaving = new Socket("127.0.0.1", container.port())) {
        OutputStream out = leaving.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + container.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = leaving.getInputStream();
        assertEquals(256 * 1024, in.readNBytes(256 * 1024).length); // into the body, before the pause
        CompletableFuture<HttpResponse<InputStream>> staying = http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> waiter = staying.get(20, TimeUnit.SECONDS);
        assertTrue(cacheStatus(waiter).contains("collapsed"), path + ": " + cacheStatus(waiter));
        leaving.setSoLinger(true, 0); // a reset, as a client that goes away sends
        leaving.close();
        app.midway.countDown();
        try (InputStream body = waiter.body()) {
          assertWhole(body, path);
        }
      }
      HttpResponse<String> hit = null;
      for (int i = 0; i < 100; i++) {
        hit = get(path);
        if (cacheStatus(hit).startsWith("edgecache; hit")) {
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(cacheStatus(hit).startsWith("edgecache; hit"), path + ": " + cacheStatus(hit));
      assertEquals("1", hit.headers().firstValue("X-Call").orElse(""));
      assertEquals(1, app.calls(path), path);
      container.close();
      container = null;
    }
  }

  @Test
  void aFillWhoseApplicationDiesAfterItsClientLeftEndsForItsWaitersAndIsNotStored() throws Exception {
    start(Map.of("lock-timeout-ms", "1000"));
    app.midway = new CountDownLatch(1);
    String path = "/async-dies";
    try (Socket leaving = new Socket("127.0.0.1", container.port())) {
      leaving.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + container.port()
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertEquals(256 * 1024, leaving.getInputStream().readNBytes(256 * 1024).length);
      HttpResponse<InputStream> waiter = http.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path)).build(),
          HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
      leaving.setSoLinger(true, 0);
      leaving.close();
      app.midway.countDown();
      long got = 0;
      try (InputStream body = waiter.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) >= 0; ) {
          got += n;
        }
      } catch (IOException endedShort) {
        // the waiter learns that the body is incomplete
      }
      assertTrue(got < SpecApp.LARGE, "a body that never ended cannot have reached the waiter whole");
    }
    // the next request goes to the application again (which fails it too: only its head is read)
    try (Socket next = new Socket("127.0.0.1", container.port())) {
      next.setSoTimeout(20_000);
      next.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + container.port()
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      InputStream in = next.getInputStream();
      while (head.indexOf("\r\n\r\n") < 0) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      assertFalse(head.toString().contains("Cache-Status: edgecache; hit"), "a truncated object was stored: " + head);
    }
    assertEquals(2, app.calls(path), "nothing was stored: the next request went to the application");
  }

  private static void assertWhole(InputStream body, String path) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long position = 0;
    for (int n; (n = body.read(buffer)) >= 0; ) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] != SpecApp.largeByte(position + i)) {
          throw new AssertionError(path + ": wrong byte at " + (position + i));
        }
      }
      position += n;
    }
    assertEquals(SpecApp.LARGE, position, path + ": the waiter got the whole body");
  }

  /**
   * Many more concurrent requests than the container has request threads, for an application
   * that answers through {@code AsyncContext.start} (whose task needs a thread of the same pool):
   * the waiters hold none, so the owner's task runs, and every request gets the one answer.
   */
  @Test
  void moreWaitersThanRequestThreadsAllGetTheOneAnswer() throws Exception {
    start();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port()
          + "/async-start")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals("async by AsyncContext.start 1", r.body());
    }
    assertEquals(1, app.calls("/async-start"));
  }

  @Test
  void aFillThatDiesMidwayBreaksOffAWaitersBodyOfNoDeclaredLength() throws Exception {
    start();
    app.midway = new CountDownLatch(1);
    String path = "/dies-chunked";
    HttpResponse<InputStream> owner = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path)).build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
    HttpResponse<InputStream> waiter = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path)).build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
    assertTrue(cacheStatus(waiter).contains("collapsed"), cacheStatus(waiter));
    try (InputStream body = waiter.body()) {
      assertEquals(256 * 1024, body.readNBytes(256 * 1024).length);
      app.midway.countDown();
      // only a broken connection can tell the client that a chunked body is short
      assertThrows(IOException.class, body::readAllBytes, "a short body must never end as if whole");
    }
    try (InputStream body = owner.body()) {
      assertThrows(IOException.class, body::readAllBytes, "nor the owner's");
    }
    assertEquals(1, app.calls(path));
  }

  /** A response that passes (the request says no-store) and whose application dies midway is broken off. */
  @Test
  void aPassedResponseWhoseApplicationDiesMidwayIsBrokenOff() throws Exception {
    start();
    app.midway = new CountDownLatch(1);
    HttpResponse<InputStream> passed = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + "/dies-chunked"))
            .header("Cache-Control", "no-store").build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
    try (InputStream body = passed.body()) {
      assertEquals(256 * 1024, body.readNBytes(256 * 1024).length);
      app.midway.countDown();
      assertThrows(IOException.class, body::readAllBytes, "a short body must never end as if whole");
    }
  }

  /**
   * The owner of a fill whose client reads nothing (a 4 KiB receive window): the fill still goes
   * at the application's pace, so another client gets the whole object, and it is stored. (An
   * application that goes async writes its client through the fill: not covered here.)
   */
  @Test
  void aClientThatReadsNothingStallsNobodyElsesDownload() throws Exception {
    for (String path : List.of("/large")) {
      start();
      try (Socket stalled = new Socket()) {
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress("127.0.0.1", container.port()));
        stalled.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + container.port()
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        stalled.getOutputStream().flush();
        for (int i = 0; i < 1000 && app.calls(path) == 0; i++) {
          Thread.sleep(10);
        }
        HttpResponse<InputStream> other = http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path)).build(),
            HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
        CompletableFuture<Void> whole = CompletableFuture.runAsync(() -> {
          try (InputStream body = other.body()) {
            assertWhole(body, path);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        // well inside the containers' idle timeouts (30 s and more), which alone would free it
        whole.get(20, TimeUnit.SECONDS);
        HttpResponse<String> hit = get(path);
        assertTrue(cacheStatus(hit).startsWith("edgecache; hit"), path + ": " + cacheStatus(hit));
        assertEquals(1, app.calls(path), path);
      }
      container.close();
      container = null;
    }
  }

  @Test
  void anErrorPageIsNotSaidToBeStored() throws Exception {
    start();
    HttpResponse<String> missing = get("/missing");
    assertEquals(404, missing.statusCode());
    assertFalse(cacheStatus(missing).contains("stored"), cacheStatus(missing));
  }

  @Test
  void aHeadThatMissesCarriesTheLengthOfTheGet() throws Exception {
    start();
    HttpResponse<String> head = send("HEAD", "/cacheable");
    assertEquals(200, head.statusCode());
    head.headers().firstValue("Content-Length").ifPresent(length -> assertEquals("11", length));
    HttpResponse<String> get = get("/cacheable");
    assertEquals("cacheable 1", get.body());
    assertTrue(cacheStatus(get).startsWith("edgecache; hit"), cacheStatus(get));
  }

  @Test
  void anApplicationThatWritesWithoutBlockingIsFilledFromAHeadOrAGet() throws Exception {
    start();
    for (String path : List.of("/non-blocking", "/non-blocking?from=get")) {
      if (path.endsWith("get")) {
        HttpResponse<String> miss = get(path);
        assertEquals(200, miss.statusCode(), cacheStatus(miss));
        assertNonBlockingBody(miss);
      } else {
        HttpResponse<String> head = send("HEAD", path);
        assertEquals(200, head.statusCode(), cacheStatus(head));
        assertEquals(String.valueOf(SpecApp.NON_BLOCKING), head.headers().firstValue("Content-Length").orElse(""));
        assertTrue(cacheStatus(head).contains("stored"), cacheStatus(head));
      }
      HttpResponse<String> hit = get(path);
      assertTrue(cacheStatus(hit).startsWith("edgecache; hit"), cacheStatus(hit));
      assertNonBlockingBody(hit);
    }
    assertEquals(2, app.calls("/non-blocking"), "one fill for each key");
  }

  private static void assertNonBlockingBody(HttpResponse<String> r) {
    byte[] body = r.body().getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(SpecApp.NON_BLOCKING, body.length, cacheStatus(r));
    for (int i = 0; i < body.length; i++) {
      if (body[i] != SpecApp.largeByte(i)) {
        throw new AssertionError("byte " + i + " differs: " + cacheStatus(r));
      }
    }
  }

  @Test
  void stoppingTheContainerLeavesNoThreadOfTheCache() throws Exception {
    Set<Thread> before = cacheThreads();
    start();
    get("/cacheable");
    container.close();
    container = null;
    Set<Thread> left = cacheThreads();
    for (int i = 0; i < 100; i++) {
      left = cacheThreads();
      left.removeAll(before);
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    }
    assertTrue(left.isEmpty(), "threads left after the stop: " + left);
  }

  private static Set<Thread> cacheThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("edgecache")) {
        out.add(t);
      }
    }
    return out;
  }
}
