package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.testing.CacheStatusField;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Timeout;

/**
 * A HEAD has no body that a failure could break off, so an origin that fails midway must reach
 * a HEAD's client as a failure, never as a 200 head, and never with a {@code Cache-Status} that
 * says {@code stored}: whether the HEAD fills the key or waited for a fill that failed (for a
 * fill that fails on a dispatch the filter does not see: {@link AsyncDispatchFailureTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadFailureTest {
  private static final byte[] PAGE = "a page of about eighty bytes, of which the application writes half before it fails"
      .getBytes(StandardCharsets.US_ASCII);

  /**
   * Answers GET and HEAD alike, as frameworks do (no {@code HttpServlet.doHead}): for a HEAD, a
   * flush of its stream commits the container's 200 head.
   */
  private static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> methods = java.util.Collections.synchronizedList(new ArrayList<>());
    final Semaphore paused = new Semaphore(0);
    final CountDownLatch gate = new CountDownLatch(1);

    int calls(String path) {
      AtomicInteger n = calls.get(path);
      return n == null ? 0 : n.get();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      methods.add(req.getMethod());
      switch (path) {
        case "/good" -> {
          res.setHeader("Cache-Control", "public, max-age=60");
          res.setContentType("text/plain");
          res.setContentLength(PAGE.length);
          res.getOutputStream().write(PAGE);
        }
        case "/non-blocking" -> writeNonBlocking(req, res);
        default -> failMidway(res, path.equals("/collapse") && calls(path) == 1);
      }
    }

    /** Half the page, flushed, then a failure; {@code pause}d first until the gate opens. */
    private void failMidway(HttpServletResponse res, boolean pause) throws IOException {
      if (pause) {
        paused.release();
        try {
          if (!gate.await(20, TimeUnit.SECONDS)) {
            throw new IOException("the test never opened the gate");
          }
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      res.setHeader("Cache-Control", "public, max-age=60");
      res.setContentType("text/plain");
      res.setContentLength(PAGE.length);
      ServletOutputStream out = res.getOutputStream();
      out.write(PAGE, 0, PAGE.length / 2);
      out.flush();
      throw new IllegalStateException("the application fails midway");
    }

    /** The page in one non-blocking write, the response completed once it is out. */
    private void writeNonBlocking(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setHeader("Cache-Control", "public, max-age=60");
      res.setContentType("text/plain");
      res.setContentLength(PAGE.length);
      jakarta.servlet.AsyncContext async = req.startAsync();
      ServletOutputStream out = res.getOutputStream();
      out.setWriteListener(new jakarta.servlet.WriteListener() {
        private boolean written;

        @Override
        public void onWritePossible() throws IOException {
          while (out.isReady()) {
            if (written) {
              async.complete();
              return;
            }
            out.write(PAGE);
            written = true;
          }
        }

        @Override
        public void onError(Throwable t) {
          async.complete();
        }
      });
    }
  }

  private final Origin origin = new Origin();
  private final Semaphore queued = new Semaphore(0);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private JettyHarness jetty;
  private EdgeCache cache;

  private void start() throws Exception {
    FilterSettings settings = FilterSettings.fromInitParams(Map.of("lock-timeout-ms", "20000")::get);
    cache = settings.cacheBuilder().listener(new CacheListener() {
      @Override
      public void collapsed(CacheKey key) {
        queued.release();
      }
    }).build();
    jetty = new JettyHarness(origin, new EdgeCacheFilter(cache, settings), Map.of(), 32,
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
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

  private CompletableFuture<HttpResponse<byte[]>> send(String method, String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(jetty.url(path)))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String cacheStatus(HttpResponse<?> r) {
    return r.headers().firstValue("Cache-Status").orElse("");
  }

  @Test
  void headsThatWaitedForAFillThatFailedGetTheOriginsFailureNotA200Head() throws Exception {
    start();
    CompletableFuture<HttpResponse<byte[]>> filler = send("GET", "/collapse");
    assertTrue(origin.paused.tryAcquire(20, TimeUnit.SECONDS), "the fill started");
    List<CompletableFuture<HttpResponse<byte[]>>> heads = List.of(send("HEAD", "/collapse"), send("HEAD", "/collapse"));
    assertTrue(queued.tryAcquire(2, 20, TimeUnit.SECONDS), "both HEADs wait for the fill");
    origin.gate.countDown();
    filler.handle((r, e) -> null).get(20, TimeUnit.SECONDS); // broken off: its body is short
    for (CompletableFuture<HttpResponse<byte[]>> head : heads) {
      HttpResponse<byte[]> r = head.get(20, TimeUnit.SECONDS);
      String status = cacheStatus(r);
      assertEquals(500, r.statusCode(), "the origin failed this HEAD's own request too: " + status);
      assertTrue(status.contains("detail=\"fill failed\""), "says why it went to the origin: " + status);
      assertFalse(CacheStatusField.names(status, "stored"), status);
    }
    assertEquals(3, origin.calls("/collapse"), "the fill, then each HEAD on its own");
    assertEquals(List.of("GET", "GET", "GET"), origin.methods, "each HEAD asked as the GET of its key");
  }

  @Test
  void aHeadThatFillsSaysStoredOnceItIsAndTheGetAfterItIsAHit() throws Exception {
    start();
    HttpResponse<byte[]> head = send("HEAD", "/good").get(20, TimeUnit.SECONDS);
    assertEquals(200, head.statusCode());
    assertTrue(CacheStatusField.names(cacheStatus(head), "stored"), cacheStatus(head));
    assertEquals(String.valueOf(PAGE.length), head.headers().firstValue("Content-Length").orElse(""));
    HttpResponse<byte[]> get = send("GET", "/good").get(20, TimeUnit.SECONDS);
    assertTrue(cacheStatus(get).startsWith("edgecache; hit"), cacheStatus(get));
    assertArrayEquals(PAGE, get.body());
    assertEquals(1, origin.calls("/good"));
  }

  @Test
  void aHeadOfAnApplicationThatWritesWithoutBlockingFillsTheKey() throws Exception {
    start();
    HttpResponse<byte[]> head = send("HEAD", "/non-blocking").get(20, TimeUnit.SECONDS);
    assertEquals(200, head.statusCode(), cacheStatus(head));
    assertEquals(String.valueOf(PAGE.length), head.headers().firstValue("Content-Length").orElse(""));
    HttpResponse<byte[]> get = send("GET", "/non-blocking").get(20, TimeUnit.SECONDS);
    assertTrue(cacheStatus(get).startsWith("edgecache; hit"), cacheStatus(get));
    assertArrayEquals(PAGE, get.body());
    assertEquals(1, origin.calls("/non-blocking"));
  }
}
