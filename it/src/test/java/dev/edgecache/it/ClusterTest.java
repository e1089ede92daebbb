package dev.edgecache.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.ehcache.TerracottaServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two edges on different ports sharing one cache on a real Terracotta server, in front of one
 * origin. Clients reach both with the same {@code Host}, as they would through a load balancer:
 * the cache key holds the host the client asked for, not the node's own address.
 */
class ClusterTest {
  private static final String TOKEN = "cluster-admin-token-0123456789";
  private static final String HOST = "shop.example";
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  /** The origin: a slow cold page and a tagged page; every call is counted. */
  public static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      int n = CALLS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.equals("/cold")) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      res.setHeader("Cache-Control", "max-age=600");
      res.setHeader("Surrogate-Key", "catalogue");
      res.getWriter().print(path.substring(1) + " " + n);
    }
  }

  private static TestOrigin origin;
  private static EdgeProcess one;
  private static EdgeProcess two;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    String cluster = TerracottaServer.shared().uri("edge-it").toString();
    origin = new TestOrigin(new Origin());
    one = new EdgeProcess("--origin", origin.url(), "--cluster", cluster, "--admin-token", TOKEN);
    two = new EdgeProcess("--origin", origin.url(), "--cluster", cluster, "--admin-token", TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    // the Terracotta server stops with this JVM
    try {
      one.close();
    } finally {
      try {
        two.close();
      } finally {
        origin.close();
      }
    }
  }

  private static int calls(String path) {
    AtomicInteger n = CALLS.get(path);
    return n == null ? 0 : n.get();
  }

  private static HttpResponse<String> get(EdgeProcess edge, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).header("Host", HOST).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void purgeTag(EdgeProcess edge, String tag) throws Exception {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(edge.url() + "/_edge/purge"))
            .header("Host", HOST).header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("tag=" + tag)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void concurrentRequestsToBothEdgesForOneColdUrlMakeOneOriginRequest() throws Exception {
    int clients = 100;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        EdgeProcess edge = i % 2 == 0 ? one : two;
        answers.add(pool.submit(() -> {
          go.await();
          return get(edge, "/cold");
        }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("cold 1", r.body());
      }
      assertEquals(1, calls("/cold"), "one origin request for both edges");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void whatOneEdgeStoresTheOtherServesAndAPurgeOnEitherReachesBoth() throws Exception {
    HttpResponse<String> first = get(one, "/shared");
    assertEquals("shared 1", first.body());
    HttpResponse<String> other = get(two, "/shared");
    assertEquals("shared 1", other.body());
    assertTrue(other.headers().firstValue("Cache-Status").orElse("").contains("hit"),
        "served from the shared cache: " + other.headers().map());
    assertEquals(1, calls("/shared"));

    purgeTag(two, "catalogue");
    HttpResponse<String> afterPurge = get(one, "/shared");
    assertEquals("shared 2", afterPurge.body(), "the purge on the second edge emptied the first's cache too");
    assertEquals("shared 2", get(two, "/shared").body());
    assertEquals(2, calls("/shared"));
  }

  @Test
  void aPrefixPurgedOnOneEdgeIsAMissOnTheOtherAsSoonAsTheAnswerComes() throws Exception {
    for (String path : List.of("/docs/a", "/docs/b/c", "/docsite")) {
      assertEquals(path.substring(1) + " 1", get(one, path).body());
      assertTrue(get(two, path).headers().firstValue("Cache-Status").orElse("").contains("hit"));
    }
    HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(two.url() + "/_edge/purge"))
            .header("Host", HOST).header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"prefixes\": [\"http://" + HOST + "/docs\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(answer.body().contains("\"scope\":\"invalidated\"") && answer.body().contains("\"ok\":true"), answer.body());
    // no wait: the answer comes once the purge is on the cluster
    assertEquals("docs/a 2", get(one, "/docs/a").body());
    assertEquals("docs/b/c 2", get(one, "/docs/b/c").body());
    assertEquals("docsite 1", get(one, "/docsite").body(), "a sibling of the prefix stays");
    assertEquals("docs/a 2", get(two, "/docs/a").body());
  }
}
