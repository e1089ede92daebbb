package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that wait for another's fill are suspended (Servlet async) and written with
 * non-blocking output: they hold no container thread while the fill runs, they stream its bytes
 * as they come, and a fill that dies breaks their bodies off.
 */
class WaitingWithoutThreadsTest {
  private static final int HALF = 64 * 1024;

  /** Each path pauses at {@link #gate} after writing its first half; calls are counted. */
  private static final class PausingOrigin extends HttpServlet {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile CountDownLatch gate = new CountDownLatch(1);
    /** Released once for each call that has written its first half and is paused. */
    final Semaphore paused = new Semaphore(0);

    int calls(String path) {
      AtomicInteger n = calls.get(path);
      return n == null ? 0 : n.get();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
      int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      switch (path) {
        case "/page" -> {
          await();
          res.setHeader("Cache-Control", "max-age=60");
          res.getWriter().write("page " + n);
        }
        case "/private" -> {
          await();
          res.setHeader("Cache-Control", "private, max-age=60");
          res.getWriter().write("private " + n);
        }
        case "/halves", "/dies" -> {
          res.setHeader("Cache-Control", "max-age=60");
          res.getOutputStream().write(pattern(0, HALF));
          res.flushBuffer();
          await();
          if (path.equals("/dies")) {
            throw new IOException("the origin died midway");
          }
          res.getOutputStream().write(pattern(HALF, HALF));
        }
        default -> res.sendError(404);
      }
    }

    private void await() throws IOException {
      paused.release();
      try {
        if (!gate.await(20, TimeUnit.SECONDS)) {
          throw new IOException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    }
  }

  private final PausingOrigin origin = new PausingOrigin();
  private final AtomicInteger queued = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private JettyHarness jetty;
  private EdgeCache cache;

  private void start(int maxThreads, EnumSet<DispatcherType> dispatches) throws Exception {
    FilterSettings settings = FilterSettings.fromInitParams(Map.of("lock-timeout-ms", "20000")::get);
    cache = settings.cacheBuilder().listener(new CacheListener() {
      @Override
      public void collapsed(CacheKey key) {
        queued.incrementAndGet();
      }
    }).build();
    jetty = new JettyHarness(origin, new EdgeCacheFilter(cache, settings), Map.of(), maxThreads, dispatches);
  }

  @AfterEach
  void stop() throws Exception {
    origin.gate.countDown();
    if (jetty != null) {
      jetty.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(jetty.url(path))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits, for at most 20 s, until {@code n} lookups are queued behind the fill. */
  private void awaitQueued(int n) throws InterruptedException {
    for (int i = 0; i < 2000 && queued.get() < n; i++) {
      Thread.sleep(10);
    }
    assertEquals(n, queued.get(), "lookups queued behind the fill");
  }

  @Test
  void aHundredWaitersHoldNoThreadWhileTheFillRuns() throws Exception {
    // 16 threads: with a thread per waiter, most of these requests could not even be queued
    start(16, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    CompletableFuture<HttpResponse<String>> owner = get("/page");
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      waiters.add(get("/page"));
    }
    awaitQueued(100);
    // the acceptor, the selector and the owner, and perhaps one finishing its suspension
    assertTrue(jetty.busyThreads() <= 4, "busy threads while 100 requests wait: " + jetty.busyThreads());
    origin.gate.countDown();
    assertEquals("page 1", owner.get(20, TimeUnit.SECONDS).body());
    for (CompletableFuture<HttpResponse<String>> w : waiters) {
      HttpResponse<String> r = w.get(20, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals("page 1", r.body());
      assertTrue(r.headers().firstValue("Cache-Status").orElse("").contains("collapsed"),
          r.headers().firstValue("Cache-Status").orElse(""));
    }
    assertEquals(1, origin.calls("/page"));
  }

  @Test
  void waitersWhoseClientsLeaveWhileWaitingCostNobodyElseTheirAnswer() throws Exception {
    start(16, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    CompletableFuture<HttpResponse<String>> owner = get("/page");
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    List<java.net.Socket> leaving = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      java.net.Socket s = new java.net.Socket("127.0.0.1", jetty.port());
      s.getOutputStream().write(("GET /page HTTP/1.1\r\nHost: 127.0.0.1:" + jetty.port() + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      leaving.add(s);
    }
    List<CompletableFuture<HttpResponse<String>>> staying = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      staying.add(get("/page"));
    }
    awaitQueued(10);
    for (java.net.Socket s : leaving) {
      s.setSoLinger(true, 0); // a reset, as a client that goes away sends
      s.close();
    }
    origin.gate.countDown();
    assertEquals("page 1", owner.get(20, TimeUnit.SECONDS).body());
    for (CompletableFuture<HttpResponse<String>> w : staying) {
      assertEquals("page 1", w.get(20, TimeUnit.SECONDS).body());
    }
    HttpResponse<String> hit = get("/page").get(20, TimeUnit.SECONDS);
    assertTrue(hit.headers().firstValue("Cache-Status").orElse("").contains("hit"),
        hit.headers().firstValue("Cache-Status").orElse(""));
    assertEquals(1, origin.calls("/page"));
  }

  @Test
  void aWaiterStreamsTheFillsBytesAsTheyArrive() throws Exception {
    start(16, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    CompletableFuture<HttpResponse<InputStream>> owner = http.sendAsync(
        HttpRequest.newBuilder(URI.create(jetty.url("/halves"))).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    HttpResponse<InputStream> waiter = http.sendAsync(HttpRequest.newBuilder(URI.create(jetty.url("/halves"))).build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
    try (InputStream body = waiter.body()) {
      // the first half arrives while the origin is still paused before the second
      assertArrayEquals(pattern(0, HALF), body.readNBytes(HALF));
      origin.gate.countDown();
      assertArrayEquals(pattern(HALF, HALF), body.readAllBytes());
    }
    try (InputStream body = owner.get(20, TimeUnit.SECONDS).body()) {
      assertEquals(2 * HALF, body.readAllBytes().length);
    }
    assertEquals(1, origin.calls("/halves"));
  }

  @Test
  void aFillThatDiesMidwayBreaksOffTheWaitersBody() throws Exception {
    start(16, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    http.sendAsync(HttpRequest.newBuilder(URI.create(jetty.url("/dies"))).build(), HttpResponse.BodyHandlers.discarding());
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    HttpResponse<InputStream> waiter = http.sendAsync(HttpRequest.newBuilder(URI.create(jetty.url("/dies"))).build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
    try (InputStream body = waiter.body()) {
      assertArrayEquals(pattern(0, HALF), body.readNBytes(HALF));
      origin.gate.countDown();
      // no Content-Length: only a broken connection tells the client that the body is short
      assertThrows(IOException.class, body::readAllBytes, "a short body must never end as if whole");
    }
    origin.gate = new CountDownLatch(0);
    HttpResponse<InputStream> next = http.send(HttpRequest.newBuilder(URI.create(jetty.url("/dies"))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    next.body().close();
    assertEquals(2, origin.calls("/dies"), "nothing was stored: the next request went to the origin");
  }

  @Test
  void withoutTheAsyncMappingAWaiterThatMustGoToTheOriginStillGetsItsOwnAnswer() throws Exception {
    start(16, EnumSet.of(DispatcherType.REQUEST));
    CompletableFuture<HttpResponse<String>> owner = get("/private");
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    CompletableFuture<HttpResponse<String>> waiter = get("/private");
    awaitQueued(1);
    origin.gate.countDown();
    assertEquals("private 1", owner.get(20, TimeUnit.SECONDS).body());
    HttpResponse<String> own = waiter.get(20, TimeUnit.SECONDS);
    assertEquals("private 2", own.body());
    assertTrue(own.headers().firstValue("Cache-Status").orElse("").contains("dispatch not filtered"),
        own.headers().firstValue("Cache-Status").orElse(""));
    // the waiter's ownership of the key was let go when its request ended
    assertEquals("private 3", get("/private").get(20, TimeUnit.SECONDS).body());
  }

  /** Bytes {@code [from, from + n)} of a known pattern. */
  private static byte[] pattern(int from, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ((from + i) * 31 + 7);
    }
    return b;
  }
}
