package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.testing.HostileOrigin;
import dev.edgecache.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The safety rules, whatever the container: each container parses targets, cookies, bodies and
 * fields its own way, and none of that may let a page reach a client that may not see it or let
 * an attacker's request choose what is stored. The filter, configured by init-params, in front of
 * an origin that reflects what it was sent; one subclass per container.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ContainerSafetySpec {
  private final HostileOrigin origin = new HostileOrigin();
  private EmbeddedContainer container;

  /** The container this run of the specification is on. */
  abstract EmbeddedContainer.Kind kind();

  private void start(Map<String, String> filterParams) throws Exception {
    container = kind().start(origin, filterParams);
  }

  @AfterEach
  void stop() throws Exception {
    origin.gates.values().forEach(CountDownLatch::countDown);
    if (container != null) {
      container.close();
    }
  }

  private RawHttp.Answer get(String target, String... fields) throws Exception {
    return RawHttp.get(container.port(), target, fields);
  }

  private static boolean hit(RawHttp.Answer a) {
    String status = a.field("Cache-Status");
    return status != null && status.startsWith("edgecache; hit");
  }

  /**
   * Concurrent clients with their own cookies, for a page a waiter could not reuse (no caching
   * fields, or {@code no-cache}): held behind the first at the origin, each then gets its own.
   */
  @ParameterizedTest(name = "[{index}] cc=\"{0}\"")
  @ValueSource(strings = {"", "no-cache", "max-age%3D0"})
  void collapsedClientsWithTheirOwnCookiesEachGetTheirOwnPage(String cacheControl) throws Exception {
    start(Map.of());
    String path = "/collapse";
    CountDownLatch gate = new CountDownLatch(1);
    origin.gates.put(path, gate);
    int clients = 6;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<RawHttp.Answer>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> get(path + "?cc=" + cacheControl, "Cookie: user=u0")));
      for (int i = 0; i < 200 && origin.calls(path) == 0; i++) {
        Thread.sleep(10);
      }
      for (int i = 1; i < clients; i++) {
        String cookie = "Cookie: user=u" + i;
        answers.add(pool.submit(() -> get(path + "?cc=" + cacheControl, cookie)));
      }
      Thread.sleep(300); // the others reach the filter and wait behind the first
      assertEquals(1, origin.calls(path), "the others were held behind the first");
      gate.countDown();
      for (int i = 0; i < clients; i++) {
        RawHttp.Answer a = answers.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(200, a.status());
        assertTrue(a.body().contains("cookie=user=u" + i + " "), "client " + i + " got " + a.body());
        assertFalse(hit(a), a.field("Cache-Status"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(clients, origin.calls(path));
  }

  @Test
  void aPageMadeForACookieReachesNoClientWithoutIt() throws Exception {
    start(Map.of("ignore-cookies", "_ga*"));
    assertTrue(get("/personal?cc=max-age%3D60", "Cookie: user=alice").body().contains("cookie=user=alice"));
    RawHttp.Answer other = get("/personal?cc=max-age%3D60");
    assertTrue(other.body().contains("cookie=none"), other.body());
    assertTrue(get("/personal?cc=max-age%3D60", "Cookie: user=bob").body().contains("cookie="));
    assertFalse(get("/personal?cc=max-age%3D60", "Cookie: user=bob").body().contains("alice"));
    // an ignored cookie leaves the page shareable
    get("/ga?cc=max-age%3D60", "Cookie: _ga=GA1.2.3");
    assertTrue(hit(get("/ga?cc=max-age%3D60")));
  }

  @Test
  void aGetWithABodyIsNeitherServedFromTheCacheNorStored() throws Exception {
    start(Map.of());
    String form = "callback=evil";
    RawHttp.Answer fat = RawHttp.send(container.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length(), form);
    assertTrue(fat.body().contains("body=callback=evil"), fat.body());
    RawHttp.send(container.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\nTransfer-Encoding: chunked",
        "d\r\ncallback=evil\r\n0\r\n\r\n");
    RawHttp.Answer plain = get("/fat?cc=max-age%3D60");
    assertTrue(plain.body().contains("body=none"), plain.body());
    RawHttp.Answer stored = get("/fat?cc=max-age%3D60");
    assertTrue(hit(stored), stored.field("Cache-Status"));
    RawHttp.Answer fatAgain = RawHttp.send(container.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\n"
        + "Content-Length: " + form.length(), form);
    assertFalse(hit(fatAgain), "a request with a body is not served from the cache either");
  }

  @Test
  void overrideFieldsPassAndPoisonNothing() throws Exception {
    start(Map.of());
    get("/o?cc=max-age%3D60", "X-Original-URL: /admin");
    get("/o?cc=max-age%3D60", "X-HTTP-Method-Override: DELETE");
    get("/o?cc=max-age%3D60", "X-Forwarded-Prefix: /evil");
    RawHttp.Answer plain = get("/o?cc=max-age%3D60");
    assertTrue(plain.body().contains("original-url=none") && plain.body().contains("override=none"), plain.body());
    assertTrue(hit(get("/o?cc=max-age%3D60")));
  }

  /** Raw targets the container maps onto {@code /p}: never stored where a plain {@code /p} finds them. */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/p;evil=1", "/%70", "/z/../p", "/./p", "/p;jsessionid=abc"})
  void aTargetThatIsNotTheKeysOwnFormCannotPoisonIt(String raw) throws Exception {
    start(Map.of());
    get(raw + "?cc=max-age%3D60");
    RawHttp.Answer clean = get("/p?cc=max-age%3D60");
    assertEquals(200, clean.status());
    assertTrue(clean.body().contains("uri=/p "), clean.body());
    assertFalse(hit(clean), clean.field("Cache-Status"));
    assertTrue(hit(get("/p?cc=max-age%3D60")));
  }

  /**
   * Fields named in {@code Connection} (given on a line of their own after {@code close}: Undertow
   * reads only the first {@code Connection} line to decide whether to close).
   */
  @Test
  void fieldsNamedInConnectionNeitherSelectAVariantNorReachTheApplication() throws Exception {
    start(Map.of());
    RawHttp.Answer first = get("/cors?cc=max-age%3D60&vary=Origin", "Origin: https://a.example",
        "Connection: close", "Connection: Origin");
    assertTrue(first.body().contains("origin=none"), first.body());
    RawHttp.Answer real = get("/cors?cc=max-age%3D60&vary=Origin", "Origin: https://a.example");
    assertEquals("https://a.example", real.field("Access-Control-Allow-Origin"));
    RawHttp.Answer hidden = get("/hidden?cc=max-age%3D60", "Cookie: user=alice", "Connection: close",
        "Connection: Cookie");
    assertTrue(hidden.body().contains("cookie=none"), hidden.body());
  }

  @Test
  void a304ThatSaysPrivateRemovesTheObject() throws Exception {
    start(Map.of());
    String url = "/reval?cc=max-age%3D0&etag=v1&cc304=private";
    assertTrue(get(url).body().contains("n=1"));
    assertTrue(get(url).body().contains("n=1"), "revalidated: this client gets the page once");
    RawHttp.Answer third = get(url);
    assertTrue(third.body().contains("n=3"), third.body());
    assertNull(origin.seen.get(2).fields().get("if-none-match"), "nothing was left to revalidate");
  }

  @Test
  void errorsAboutTheRequestAreNeverStoredAndOthersOnlyBriefly() throws Exception {
    start(Map.of());
    get("/bad?status=400&cc=max-age%3D3600");
    get("/bad?status=400&cc=max-age%3D3600");
    assertEquals(2, origin.calls("/bad"));
    RawHttp.Answer down = get("/down?status=503&cc=max-age%3D3600");
    // 9 if the Date's second turned while the response was made
    assertTrue(down.field("Cache-Status").matches(".*stored; ttl=(10|9)\\b.*"), down.field("Cache-Status"));
  }

  @Test
  void aSafeMethodInvalidatesNothingAndAnUnsafeOneDoes() throws Exception {
    start(Map.of());
    get("/safe?cc=max-age%3D60");
    RawHttp.send(container.port(), "OPTIONS /safe?cc=max-age%3D60 HTTP/1.1", "");
    assertTrue(hit(get("/safe?cc=max-age%3D60")), "OPTIONS invalidated the page");
    RawHttp.send(container.port(), "POST /safe?cc=max-age%3D60 HTTP/1.1\r\nContent-Length: 1", "x");
    assertFalse(hit(get("/safe?cc=max-age%3D60")), "POST left the page in place");
  }
}
