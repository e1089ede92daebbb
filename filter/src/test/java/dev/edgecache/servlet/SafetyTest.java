package dev.edgecache.servlet;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.testing.HostileOrigin;
import dev.edgecache.testing.RawHttp;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The first duty: no response reaches a client that may not see it, and nothing an attacker chose
 * is stored for others. Each test is one attack or mistake, against the filter on embedded Jetty
 * in front of an origin that reflects what it is sent.
 */
class SafetyTest {
  private final HostileOrigin origin = new HostileOrigin();
  private final AtomicInteger queued = new AtomicInteger();
  private JettyHarness jetty;
  private EdgeCache cache;

  /** The filter with these init-params, on a cache whose listener counts queued waiters. */
  private void start(Map<String, String> params) throws Exception {
    start(params, java.time.Clock.systemUTC());
  }

  private void start(Map<String, String> params, java.time.Clock clock) throws Exception {
    FilterSettings settings = FilterSettings.fromInitParams(params::get);
    cache = EdgeCache.builder().clock(clock).lockTimeout(settings.lockTimeout()).listener(new CacheListener() {
      @Override
      public void collapsed(CacheKey key) {
        queued.incrementAndGet();
      }
    }).build();
    jetty = new JettyHarness(origin, new EdgeCacheFilter(cache, settings), Map.of());
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  private void start() throws Exception {
    start(Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  /** A request whose URL is sent as written: the tests encode their queries themselves. */
  private static io.restassured.specification.RequestSpecification given() {
    return RestAssured.given().urlEncodingEnabled(false);
  }

  private static String q(String cacheControl) {
    return URLEncoder.encode(cacheControl, StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 400 && !condition.getAsBoolean(); i++) {
      Thread.sleep(25);
    }
    assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
  }

  // ------------------------------------------------------------------ wrong client

  /**
   * Concurrent clients, each with its own cookie, ask for a page that a waiter could not reuse;
   * the first is held at the origin until all the others queue behind it. Each must get its own
   * page, and none may be told it had a hit.
   */
  @ParameterizedTest(name = "[{index}] Cache-Control \"{0}\" etag={1}, {2} clients, Vary {3}")
  @CsvSource(delimiter = '|', value = {
      "                         | false | 2 |", "                         | false | 10 |",
      "max-age=0                | false | 2 |", "max-age=0                | false | 10 |",
      "no-cache                 | false | 2 |", "no-cache                 | true  | 10 |",
      "must-revalidate          | false | 2 |", "must-revalidate          | false | 10 |",
      "public                   | false | 10 |", "public, max-age=0        | true  | 10 |",
      "public, no-cache         | true  | 2 |", "public, no-cache         | true  | 10 |",
      "public, must-revalidate  | false | 10 |", "s-maxage=0              | true  | 10 |",
      // with a vary rule the object goes to a variant key, not the one the waiters queued on
      "public, no-cache         | true  | 10 | Accept-Language", "s-maxage=0 | true | 10 | Accept-Language",
      "public, max-age=0        | true  | 10 | Accept-Language", "no-cache   | true | 10 | Accept-Language",
  })
  void waitersNeverGetAPageTheyCouldNotReuse(String cacheControl, boolean etag, int clients, String vary)
      throws Exception {
    start();
    String path = "/collapse";
    String url = path + "?cc=" + q(cacheControl == null ? "" : cacheControl) + (etag ? "&etag=e1" : "")
        + (vary == null ? "" : "&vary=" + q(vary));
    CountDownLatch gate = new CountDownLatch(1);
    origin.gates.put(path, gate);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Response>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String cookie = "user=u" + i;
      answers.add(pool.submit(() -> given().header("Cookie", cookie).get(url)));
    }
    await(() -> queued.get() >= clients - 1 && origin.calls(path) == 1, "the others queue behind the first");
    gate.countDown();
    for (int i = 0; i < clients; i++) {
      Response r = answers.get(i).get(30, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertTrue(r.asString().contains("cookie=user=u" + i + " "), "client " + i + " got " + r.asString());
      assertFalse(r.header("Cache-Status").contains("hit"), r.header("Cache-Status"));
    }
    pool.shutdown();
    assertEquals(clients, origin.calls(path));
  }

  @Test
  void aPageWithoutFreshnessOrValidatorsIsNotStoredNorClaimedStored() throws Exception {
    start();
    given().get("/plain").then().statusCode(200).body(containsString("n=1"))
        .header("Cache-Status", not(containsString("stored")));
    given().get("/plain").then().statusCode(200).body(containsString("n=2"));
  }

  @Test
  void aPageMadeForACookieIsNotSharedUnlessItSaysSo() throws Exception {
    start(Map.of("ignore-cookies", "_ga*, consent"));
    given().header("Cookie", "user=alice").get("/personal?cc=max-age%3D60").then()
        .body(containsString("cookie=user=alice"));
    given().get("/personal?cc=max-age%3D60").then().body(containsString("cookie=none"));
    assertEquals(2, origin.calls("/personal"));
    // public, s-maxage or must-revalidate say the page may be shared
    given().header("Cookie", "user=alice").get("/shared?cc=public,max-age%3D60").then().body(containsString("n=1"));
    given().get("/shared?cc=public,max-age%3D60").then().body(containsString("n=1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    // a page that varies on Cookie is stored per cookie
    given().header("Cookie", "user=alice").get("/varies?cc=max-age%3D60&vary=Cookie").then().body(containsString("alice"));
    given().header("Cookie", "user=bob").get("/varies?cc=max-age%3D60&vary=Cookie").then().body(containsString("bob"));
    given().header("Cookie", "user=alice").get("/varies?cc=max-age%3D60&vary=Cookie").then()
        .body(containsString("alice")).header("Cache-Status", startsWith("edgecache; hit"));
    // cookies the deployment ignores do not make a page personal
    given().header("Cookie", "_ga_XYZ=1.2; consent=yes").get("/analytics?cc=max-age%3D60").then().body(containsString("n=1"));
    given().get("/analytics?cc=max-age%3D60").then().body(containsString("n=1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    // a page stored from a request without cookies is served to one with cookies
    given().get("/public-page?cc=max-age%3D60").then().body(containsString("n=1"));
    given().header("Cookie", "user=carol").get("/public-page?cc=max-age%3D60").then()
        .body(containsString("n=1")).header("Cache-Status", startsWith("edgecache; hit"));
  }

  /** Cookie names are told apart by case, as applications tell them apart. */
  @Test
  void anIgnoredCookieNameInAnotherCaseIsStillPersonal() throws Exception {
    start(Map.of("ignore-cookies", "_ga"));
    given().header("Cookie", "_GA=secret-of-alice").get("/case?cc=max-age%3D60").then()
        .body(containsString("secret-of-alice"));
    given().get("/case?cc=max-age%3D60").then().body(containsString("cookie=none"));
    assertEquals(2, origin.calls("/case"));
  }

  /**
   * A key cookie in a form that containers and origins read differently (another case, blanks
   * round {@code =}, quotes) never fills the variant that the plain form selects.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {"LANG=fr", "lang = fr", "lang=\"fr\"", "lang=fr,x"})
  void aKeyCookieInAnotherFormFillsNoOtherVariant(String cookie) throws Exception {
    start(Map.of("key-cookies", "lang"));
    given().header("Cookie", cookie).get("/kc?cc=max-age%3D60").then().statusCode(200);
    given().header("Cookie", "lang=fr").get("/kc?cc=max-age%3D60").then()
        .body(containsString("cookie=lang=fr ")).header("Cache-Status", not(startsWith("edgecache; hit")));
    given().header("Cookie", "lang=fr").get("/kc?cc=max-age%3D60").then()
        .header("Cache-Status", startsWith("edgecache; hit"));
  }

  @Test
  void keyCookiesMakeVariantsAndStayShareable() throws Exception {
    start(Map.of("key-cookies", "lang"));
    given().header("Cookie", "lang=fr").get("/lang?cc=max-age%3D60").then().body(containsString("lang=fr"));
    given().header("Cookie", "lang=de").get("/lang?cc=max-age%3D60").then().body(containsString("lang=de"));
    given().header("Cookie", "lang=fr").get("/lang?cc=max-age%3D60").then().body(containsString("lang=fr"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    // a cookie beside the key cookie that the deployment did not name makes it personal again
    given().header("Cookie", "lang=fr; session=s1").get("/lang2?cc=max-age%3D60").then().body(containsString("n=1"));
    given().header("Cookie", "lang=fr").get("/lang2?cc=max-age%3D60").then().body(containsString("n=2"));
  }

  // ------------------------------------------------------------------ poisoning

  @Test
  void aGetWithABodyPassesAndStoresNothing() throws Exception {
    start();
    String form = "callback=evil";
    RawHttp.Answer fat = RawHttp.send(jetty.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length(), form);
    assertTrue(fat.body().contains("body=callback=evil"), fat.body());
    assertTrue(fat.field("Cache-Status").contains("fwd=bypass"), fat.field("Cache-Status"));
    RawHttp.Answer chunked = RawHttp.send(jetty.port(), "GET /fat?cc=max-age%3D60 HTTP/1.1\r\n"
        + "Transfer-Encoding: chunked", "d\r\ncallback=evil\r\n0\r\n\r\n");
    assertTrue(chunked.body().contains("body=callback=evil"), chunked.body());
    given().get("/fat?cc=max-age%3D60").then().body(containsString("body=none"));
    given().get("/fat?cc=max-age%3D60").then().body(containsString("body=none"))
        .header("Cache-Status", startsWith("edgecache; hit"));
  }

  @Test
  void overrideFieldsPassAndStoreNothing() throws Exception {
    start(Map.of("override-fields", "X-HTTP-Method-Override, X-Original-URL, X-Custom-Override"));
    given().header("X-HTTP-Method-Override", "DELETE").get("/o?cc=max-age%3D60&status=405").then()
        .statusCode(405).header("Cache-Status", containsString("fwd=bypass"));
    given().header("X-Original-URL", "/admin").get("/o?cc=max-age%3D60").then()
        .body(containsString("original-url=/admin"));
    given().header("X-Custom-Override", "1").get("/o?cc=max-age%3D60").then()
        .header("Cache-Status", containsString("fwd=bypass"));
    given().get("/o?cc=max-age%3D60").then().statusCode(200)
        .body(containsString("override=none")).body(containsString("original-url=none"));
    given().get("/o?cc=max-age%3D60").then().statusCode(200).header("Cache-Status", startsWith("edgecache; hit"));
  }

  @Test
  void theDefaultOverrideFieldsPassToo() throws Exception {
    start();
    for (String field : List.of("X-HTTP-Method-Override", "X-Method-Override", "X-Original-URL",
        "X-Rewrite-URL", "X-Forwarded-Prefix", "X-Forwarded-Scheme", "X-Forwarded-Ssl", "X-Host",
        "X-Original-Host", "X-HTTP-Host-Override")) {
      given().header(field, "evil").get("/d?cc=max-age%3D60").then()
          .header("Cache-Status", containsString("fwd=bypass"));
    }
    given().get("/d?cc=max-age%3D60").then().body(containsString("n=11"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"/p;evil=1", "/%70", "/z/../p", "/./p", "/p;jsessionid=abc"})
  void aTargetThatIsNotTheKeysOwnFormPassesAndCannotPoisonIt(String raw) throws Exception {
    start();
    RawHttp.Answer poisoned = RawHttp.get(jetty.port(), raw + "?cc=max-age%3D60");
    if (poisoned.status() == 200) {
      assertTrue(poisoned.field("Cache-Status").contains("fwd=bypass"), poisoned.field("Cache-Status"));
    }
    RawHttp.Answer clean = RawHttp.get(jetty.port(), "/p?cc=max-age%3D60");
    assertEquals(200, clean.status());
    assertTrue(clean.body().contains("uri=/p "), clean.body());
    assertFalse(clean.field("Cache-Status").contains("hit"), clean.field("Cache-Status"));
    RawHttp.Answer again = RawHttp.get(jetty.port(), "/p?cc=max-age%3D60");
    assertTrue(again.field("Cache-Status").startsWith("edgecache; hit"), again.field("Cache-Status"));
  }

  @Test
  void fieldsNamedInConnectionAreDroppedBeforeTheKeyAndTheServletSeeThem() throws Exception {
    start();
    // asking for gzip, as REST Assured below does: the same coding variant
    RawHttp.Answer first = RawHttp.get(jetty.port(), "/cors?cc=max-age%3D60&vary=Origin",
        "Origin: https://a.example", "Connection: Origin, close", "Accept-Encoding: gzip,deflate");
    assertTrue(first.body().contains("origin=none"), first.body());
    assertNull(first.field("Access-Control-Allow-Origin"));
    // the answer without CORS fields was stored for requests without Origin only
    given().header("Origin", "https://a.example").get("/cors?cc=max-age%3D60&vary=Origin").then()
        .header("Access-Control-Allow-Origin", "https://a.example");
    given().get("/cors?cc=max-age%3D60&vary=Origin").then()
        .header("Cache-Status", startsWith("edgecache; hit")).body(containsString("origin=none"));
    // a cookie hidden by Connection is not one the servlet or the key sees
    RawHttp.Answer hidden = RawHttp.get(jetty.port(), "/hidden?cc=max-age%3D60",
        "Cookie: user=alice", "Connection: Cookie, close");
    assertTrue(hidden.body().contains("cookie=none"), hidden.body());
  }

  @Test
  void a304ThatSaysPrivateRemovesTheObjectInsteadOfFresheningIt() throws Exception {
    start();
    String url = "/reval?cc=max-age%3D0&etag=v1&cc304=" + q("private, max-age=60");
    given().get(url).then().statusCode(200).body(containsString("n=1"));
    // revalidated: the 304 says private, so this client gets the page once and it is removed
    given().get(url).then().statusCode(200).body(containsString("n=1"))
        .header("Cache-Control", containsString("private"));
    given().get(url).then().statusCode(200).body(containsString("n=3"))
        .header("Cache-Status", not(startsWith("edgecache; hit")));
    HostileOrigin.Seen third = origin.seen.get(2);
    assertNull(third.fields().get("if-none-match"), "the third request found nothing to revalidate");
  }

  @Test
  void a304ToARequestWithCookiesStillFreshensASharedObject() throws Exception {
    start();
    String url = "/reval-ok?cc=max-age%3D0&etag=v1&cc304=" + q("max-age=60");
    given().get(url).then().body(containsString("n=1"));
    given().header("Cookie", "user=alice").get(url).then().body(containsString("n=1"))
        .header("Cache-Status", containsString("fwd-status=304"));
    given().get(url).then().body(containsString("n=1")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(2, origin.calls("/reval-ok"));
  }

  @Test
  void a304ThatSaysNoStoreRemovesTheObjectToo() throws Exception {
    start();
    String url = "/reval-ns?cc=max-age%3D0&etag=v1&cc304=no-store";
    given().get(url).then().body(containsString("n=1"));
    given().get(url).then().body(containsString("n=1"));
    given().get(url).then().body(containsString("n=3"));
  }

  // ------------------------------------------------------------------ denial of service

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"400", "431"})
  void requestErrorsAreNeverStored(int status) throws Exception {
    start();
    String url = "/err?status=" + status + "&cc=" + q("public, max-age=3600");
    given().get(url).then().statusCode(status).header("Cache-Status", containsString("detail=\"status\""));
    given().get(url).then().statusCode(status);
    assertEquals(2, origin.calls("/err"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"403", "405", "412", "500", "502", "503"})
  void otherErrorsAreKeptAtMostTheErrorMaxAge(int status) throws Exception {
    start();
    String url = "/err?status=" + status + "&cc=" + q("max-age=3600, stale-if-error=86400");
    // the origin's Date has whole seconds: when the second turns before the edge receives the
    // response, its age is 1 s, and 9 of the 10 s are left
    given().get(url).then().statusCode(status).header("Cache-Status",
        org.hamcrest.Matchers.anyOf(containsString("stored; ttl=10"), containsString("stored; ttl=9")));
    given().get(url).then().statusCode(status).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/err"));
  }

  @Test
  void lastingErrorsKeepTheirLifetimeAndErrorMaxAgeZeroKeepsNoOther() throws Exception {
    start(Map.of("error-max-age", "0"));
    given().get("/gone?status=410&cc=max-age%3D3600").then().statusCode(410)
        .header("Cache-Status", org.hamcrest.Matchers.matchesPattern(".*stored; ttl=(3600|3599)\\b.*"));
    given().get("/down?status=503&cc=max-age%3D3600").then().statusCode(503)
        .header("Cache-Status", not(containsString("stored")));
    given().get("/down?status=503&cc=max-age%3D3600").then().statusCode(503);
    assertEquals(2, origin.calls("/down"));
  }

  /**
   * An origin that stalls past the lock timeout: every waiter then goes to the origin on its own,
   * at once, instead of the key passing to one waiter per timeout. Here only the first request
   * stalls, so handing the key on would let the second answer the rest.
   */
  @Test
  void atTheLockTimeoutEveryWaiterGoesToTheOriginAtOnce() throws Exception {
    start(Map.of("lock-timeout-ms", "300"));
    CountDownLatch gate = new CountDownLatch(1);
    origin.gates.put("/stall", gate);
    int clients = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Response>> answers = new ArrayList<>();
    answers.add(pool.submit(() -> given().get("/stall?cc=max-age%3D60")));
    await(() -> origin.calls("/stall") == 1, "the first request reaches the origin");
    for (int i = 1; i < clients; i++) {
      answers.add(pool.submit(() -> given().get("/stall?cc=max-age%3D60")));
    }
    await(() -> origin.calls("/stall") == clients, "every waiter asks the origin itself");
    for (int i = 1; i < clients; i++) {
      assertEquals(200, answers.get(i).get(10, TimeUnit.SECONDS).statusCode());
    }
    gate.countDown();
    assertEquals(200, answers.get(0).get(10, TimeUnit.SECONDS).statusCode());
    pool.shutdown();
  }

  @Test
  void onlyIfCachedGetsTheStoredResponseOrA504WithoutAskingTheOrigin() throws Exception {
    start();
    given().header("Cache-Control", "only-if-cached").get("/oic?cc=max-age%3D60").then().statusCode(504);
    assertEquals(0, origin.calls("/oic"));
    given().get("/oic?cc=max-age%3D60").then().statusCode(200);
    given().header("Cache-Control", "only-if-cached").get("/oic?cc=max-age%3D60").then().statusCode(200)
        .header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/oic"));
  }

  @Test
  void aSafeMethodInvalidatesNothing() throws Exception {
    start();
    given().get("/safe?cc=max-age%3D60").then().body(containsString("n=1"));
    given().options("/safe?cc=max-age%3D60").then().statusCode(200);
    given().get("/safe?cc=max-age%3D60").then().body(containsString("n=1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    given().post("/safe?cc=max-age%3D60").then().statusCode(200);
    given().get("/safe?cc=max-age%3D60").then().body(containsString("n=4"));
  }

  @Test
  void sMaxAgeAndMustRevalidateAreNeverServedStaleEvenWithStaleIfError() throws Exception {
    start(Map.of("stale-if-error", "600"));
    for (String cc : List.of("s-maxage=1, stale-if-error=600", "max-age=1, must-revalidate, stale-if-error=600",
        "max-age=1, proxy-revalidate", "max-age=1")) {
      String path = "/sie-" + Math.abs(cc.hashCode());
      String url = path + "?cc=" + q(cc) + "&age=5&fail-after=1";
      given().get(url).then().statusCode(200);
      Response failed = given().get(url);
      if (cc.equals("max-age=1")) {
        // the configured default applies to a response that does not forbid it
        assertEquals(200, failed.statusCode());
        assertTrue(failed.header("Cache-Status").contains("stale-if-error"), failed.header("Cache-Status"));
      } else {
        assertEquals(503, failed.statusCode(), cc);
      }
    }
    // the edge's own lifetime in CDN-Cache-Control may be served stale (RFC 9213)
    String url = "/cdn?cc=" + q("s-maxage=1") + "&cdncc=" + q("max-age=1, stale-if-error=600") + "&age=5&fail-after=1";
    given().get(url).then().statusCode(200);
    given().get(url).then().statusCode(200).header("Cache-Status", containsString("stale-if-error"));
  }

  @Test
  void anUnreachableOriginGetsTheStaleObjectUnlessItsDirectivesForbidStale() throws Exception {
    dev.edgecache.MutableClock clock = new dev.edgecache.MutableClock(System.currentTimeMillis());
    start(Map.of(), clock);
    for (String cc : List.of("max-age=1", "max-age=1, must-revalidate", "max-age=1, proxy-revalidate",
        "s-maxage=1", "max-age=1, no-cache")) {
      String path = "/unreachable-" + Math.abs(cc.hashCode());
      String url = path + "?cc=" + q(cc) + "&unreachable-after=1";
      given().get(url).then().statusCode(200).body(containsString("n=1"));
      clock.advance(java.time.Duration.ofSeconds(5));
      Response down = given().get(url);
      if (cc.equals("max-age=1")) {
        // RFC 9111 §4.2.4: a cache that cannot reach its origin may serve stale
        assertEquals(200, down.statusCode());
        assertTrue(down.asString().contains("n=1"), down.asString());
        assertTrue(down.header("Cache-Status").contains("origin-unreachable"), down.header("Cache-Status"));
      } else {
        assertEquals(502, down.statusCode(), cc);
        assertEquals("origin unreachable", down.asString(), cc);
      }
      assertEquals(2, origin.calls(path), cc);
    }
    // An origin that answers with an error is not unreachable: stale only within stale-if-error.
    String url = "/answers-503?cc=" + q("max-age=1") + "&fail-after=1";
    given().get(url).then().statusCode(200);
    clock.advance(java.time.Duration.ofSeconds(5));
    given().get(url).then().statusCode(503);
    // A response that was never fresh is not kept for the origin's outages: nothing used it.
    url = "/never-fresh?cc=" + q("max-age=1") + "&age=5&unreachable-after=1";
    given().get(url).then().statusCode(200);
    given().get(url).then().statusCode(502);
  }

  @Test
  void theAdminTokenIsComparedExactly() throws Exception {
    String token = "Admin-Token-0123456789";
    start(Map.of("admin-token", token));
    given().header("Authorization", "Bearer " + token.toLowerCase(java.util.Locale.ROOT))
        .formParam("all", "true").post("/_edge/purge").then().statusCode(401);
    given().header("Authorization", "Bearer " + token.substring(0, token.length() - 1))
        .formParam("all", "true").post("/_edge/purge").then().statusCode(401);
    given().header("Authorization", "Bearer  " + token).formParam("all", "true").post("/_edge/purge")
        .then().statusCode(401);
    given().header("Authorization", "Bearer " + token).formParam("all", "true").post("/_edge/purge")
        .then().statusCode(200);
    // the scheme is case-insensitive (RFC 9110 §11.1), the token is not
    given().header("Authorization", "bearer " + token).formParam("all", "true").post("/_edge/purge")
        .then().statusCode(200);
  }

  @Test
  void aBadOverrideFieldsParamFailsNamingIt() {
    Map<String, String> params = new HashMap<>();
    params.put("override-fields", "X-Ok, bad field");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.fromInitParams(params::get));
    assertTrue(e.getMessage().contains("override-fields"), e.getMessage());
    params.put("override-fields", "none");
    assertTrue(FilterSettings.fromInitParams(params::get).overrideFields().isEmpty());
    params.put("hit-for-miss", "0");
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.fromInitParams(params::get)).getMessage().contains("hit-for-miss"));
    params.put("hit-for-miss", "30");
    assertEquals(java.time.Duration.ofSeconds(30), FilterSettings.fromInitParams(params::get).hitForMiss());
    params.put("ignore-cookies", "ok, not ok");
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.fromInitParams(params::get)).getMessage().contains("ignore-cookies"));
  }

  @Test
  void theAnswerToAPlainRequestCarriesNoneOfThePoisonedOnes() throws Exception {
    start();
    given().header("X-Original-URL", "/admin").get("/page?cc=max-age%3D60");
    given().header("Cookie", "user=mallory").get("/page?cc=max-age%3D60");
    RawHttp.send(jetty.port(), "GET /page?cc=max-age%3D60 HTTP/1.1\r\nContent-Length: 4", "evil");
    given().get("/page?cc=max-age%3D60").then().body(equalTo(
        "n=4 uri=/page cookie=none origin=none override=none original-url=none body=none"));
  }
}
