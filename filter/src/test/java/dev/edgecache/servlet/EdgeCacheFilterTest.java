package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter on embedded Jetty, driven over HTTP with REST Assured. */
class EdgeCacheFilterTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private OriginServlet origin;
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginServlet();
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN, "debug-key", "true"));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  @Test
  void aMissIsStoredAndTheNextRequestHits() {
    given().get("/fresh").then().statusCode(200).body(equalTo("fresh 1"))
        // the Date's second may have turned while the response was made: its age is then 1 s
        .header("Cache-Status", matchesPattern("edgecache; fwd=uri-miss; fwd-status=200; stored; ttl=(60|59)\\b.*"));
    given().get("/fresh").then().statusCode(200).body(equalTo("fresh 1"))
        .header("Cache-Status", startsWith("edgecache; hit; ttl="))
        .header("Cache-Status", containsString("key=\"http://127.0.0.1:" + jetty.port() + "/fresh\""))
        .header("Age", notNullValue())
        .header("Content-Length", equalTo("7"));
    assertEquals(1, origin.calls("/fresh"));
  }

  @Test
  void aNotFoundWithoutFreshnessIsKeptAFewSecondsAndStatusRulesAreConfigurable() throws Exception {
    given().get("/missing").then().statusCode(404).body(equalTo("missing 1"))
        .header("Cache-Status", matchesPattern(".*stored; ttl=(10|9)\\b.*")); // 9 if the Date's second turned
    given().get("/missing").then().statusCode(404).body(equalTo("missing 1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/missing"), "negative caching: 404 kept 10 s by default");
    given().get("/forbidden").then().statusCode(403);
    given().get("/forbidden").then().statusCode(403).header("Cache-Status", startsWith("edgecache; hit"));
    jetty.close();
    origin = new OriginServlet();
    jetty = new JettyHarness(origin, null, Map.of("status-ttl", "none", "never-store-statuses", "403"));
    RestAssured.port = jetty.port();
    for (int i = 1; i <= 2; i++) {
      given().get("/missing").then().statusCode(404).body(equalTo("missing " + i))
          .header("Cache-Status", containsString("fwd=uri-miss"));
      given().get("/forbidden").then().statusCode(403).body(equalTo("forbidden " + i))
          .header("Cache-Status", containsString("detail=\"status\""));
    }
    assertEquals(2, origin.calls("/missing"));
    assertEquals(2, origin.calls("/forbidden"), "403 is never stored here, whatever its max-age");
  }

  @Test
  void anApplicationsAdminPageIsServedBehindTheToken() throws Exception {
    jetty.close();
    EdgeCacheFilter filter = new EdgeCacheFilter();
    java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
    filter.addAdminPage("hello", "text/plain; charset=utf-8", () -> "hello " + made.incrementAndGet());
    assertThrows(IllegalArgumentException.class, () -> filter.addAdminPage("stats", "text/plain", () -> ""));
    assertThrows(IllegalArgumentException.class, () -> filter.addAdminPage("../x", "text/plain", () -> ""));
    jetty = new JettyHarness(origin, filter, Map.of("admin-token", TOKEN));
    RestAssured.port = jetty.port();
    given().get("/_edge/hello").then().statusCode(401);
    assertEquals(0, made.get(), "nothing is made for a caller without the token");
    given().header("Authorization", "Bearer " + TOKEN).get("/_edge/hello").then().statusCode(200)
        .contentType(startsWith("text/plain")).header("Cache-Control", "no-store").body(equalTo("hello 1"));
    given().header("Authorization", "Bearer " + TOKEN).post("/_edge/hello").then().statusCode(404);
    filter.addAdminPage("later", "text/plain", () -> "added after init");
    given().header("Authorization", "Bearer " + TOKEN).get("/_edge/later").then().body(equalTo("added after init"));
  }

  @Test
  void settingsMayBeContextParametersAndTheFiltersOwnInitParamsWin() throws Exception {
    jetty.close();
    origin = new OriginServlet();
    // as Tomcat's <Parameter> in conf/Catalina/localhost/APP.xml or a <context-param> sets them
    jetty = new JettyHarness(origin, null, Map.of("debug-key", "false"), 200,
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ASYNC),
        Map.of("edgecache.admin-token", TOKEN, "edgecache.debug-key", "true", "edgecache.status-ttl", "404=42"));
    RestAssured.port = jetty.port();
    String status = given().get("/missing").then().statusCode(404).extract().header("Cache-Status");
    assertTrue(status.matches(".*ttl=(42|41)\\b.*"), "the context's status-ttl: " + status);
    assertTrue(!status.contains("key="), "the filter's own debug-key=false wins over the context's: " + status);
    given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200);
    given().header("Authorization", "Bearer wrong-token-0123456789").get("/_edge/stats").then().statusCode(401);
  }

  @Test
  void aHitCarriesTheOriginsDateOnceAndRepeatedFieldsStillRepeated() throws Exception {
    Response miss = given().get("/repeated");
    List<String> date = miss.headers().getValues("Date");
    assertEquals(1, date.size(), miss.headers().toString());
    Thread.sleep(1_100); // the container's own Date for the hit is a later second
    Response hit = given().get("/repeated");
    hit.then().header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(date, hit.headers().getValues("Date"), "the stored Date, once: " + hit.headers());
    assertEquals(1, hit.headers().getValues("Server").size(), hit.headers().toString());
    assertEquals(List.of("</a.css>; rel=preload", "</b.js>; rel=preload"), hit.headers().getValues("Link"));
    assertEquals(1, origin.calls("/repeated"));
  }

  @Test
  void aResponseWrittenThroughTheWriterIsStoredWithItsCharset() {
    given().get("/writer").then().body(equalTo("caf\u00e9 1"));
    given().get("/writer").then().body(equalTo("caf\u00e9 1")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/writer"));
  }

  @Test
  void privateNoStoreAndSetCookieResponsesAreNotStored() {
    for (String path : List.of("/private", "/no-store", "/cookie")) {
      given().get(path).then().statusCode(200)
          .header("Cache-Status", containsString("fwd=uri-miss"))
          .header("Cache-Status", not(containsString("stored")));
      given().get(path).then().statusCode(200);
      assertEquals(2, origin.calls(path), path);
    }
    // the cookie reached its own client, and only that one
    given().get("/cookie").then().header("Set-Cookie", equalTo("session=3"));
  }

  @Test
  void aRequestWithAuthorizationDoesNotStoreAPlainResponse() {
    given().header("Authorization", "Bearer user-secret").get("/fresh").then().statusCode(200)
        .header("Cache-Status", containsString("detail=\"authorization\""));
    given().get("/fresh").then().body(equalTo("fresh 2"));
  }

  @Test
  void edgeOnlyFieldsRuleTheCacheAndNeverReachTheClient() {
    Response first = given().get("/edge");
    first.then().statusCode(200).body(equalTo("edge 1"))
        .header("Surrogate-Control", nullValue()).header("Surrogate-Key", nullValue())
        .header("Cache-Control", equalTo("no-store"))
        .header("Cache-Status", containsString("stored"));
    given().get("/edge").then().body(equalTo("edge 1")).header("Surrogate-Key", nullValue())
        .header("Surrogate-Control", nullValue());
    assertEquals(1, origin.calls("/edge"));
  }

  @Test
  void cdnCacheControlRulesTheCacheAndPassesOnToTheCdnsInFront() {
    // RFC 9213: it targets every CDN on the path, so a CDN in front still needs it, on hits too
    given().get("/cdn").then().body(equalTo("cdn 1")).header("CDN-Cache-Control", equalTo("max-age=60"))
        .header("Cache-Status", containsString("stored"));
    given().get("/cdn").then().body(equalTo("cdn 1")).header("CDN-Cache-Control", equalTo("max-age=60"))
        .header("Cache-Control", equalTo("no-store")).header("Cache-Status", containsString("hit"));
    // not a Structured Field Dictionary: ignored as a whole, and Cache-Control: no-store rules
    given().get("/cdn-invalid").then().body(equalTo("cdn-invalid 1"));
    given().get("/cdn-invalid").then().body(equalTo("cdn-invalid 2"));
  }

  @Test
  void purgeByTagThroughTheAdminPathNeedsTheToken() {
    given().get("/edge");
    given().param("tag", "tag-a").post("/_edge/purge").then().statusCode(401);
    given().header("Authorization", "Bearer wrong-token-wrong-token").param("tag", "tag-a")
        .post("/_edge/purge").then().statusCode(401);
    assertEquals(1, origin.calls("/edge"));
    given().get("/edge").then().body(equalTo("edge 1"));
    given().header("Authorization", "Bearer " + TOKEN).param("tag", "tag-a")
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    given().get("/edge").then().body(equalTo("edge 2"));
  }

  @Test
  void purgeByUrlSoftPurgeAndThePurgeMethod() {
    given().get("/fresh");
    String url = "http://127.0.0.1:" + jetty.port() + "/fresh";
    given().header("Authorization", "Bearer " + TOKEN).param("url", url).post("/_edge/purge")
        .then().statusCode(200).body("purged", equalTo(1));
    given().get("/fresh").then().body(equalTo("fresh 2"));
    given().request("PURGE", "/fresh").then().statusCode(401);
    given().header("Authorization", "Bearer " + TOKEN).request("PURGE", "/fresh")
        .then().statusCode(200).body("purged", equalTo(1));
    given().get("/fresh").then().body(equalTo("fresh 3"));
    given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200)
        .body(containsString("\"hits\":"));
    given().header("Authorization", "Bearer " + TOKEN).param("url", "not a url").post("/_edge/purge")
        .then().statusCode(400);
  }

  @Test
  void anUnsafeMethodInvalidatesItsTarget() {
    given().get("/fresh").then().body(equalTo("fresh 1"));
    given().post("/fresh").then().statusCode(204).header("Cache-Status", containsString("fwd=request"));
    given().get("/fresh").then().body(equalTo("fresh 3"));
  }

  @Test
  void conditionalRequestsOnAHitGet304() {
    given().get("/etag").then().header("ETag", equalTo("\"v1\""));
    given().header("If-None-Match", "\"v1\"").get("/etag").then().statusCode(304)
        .header("ETag", equalTo("\"v1\"")).header("Cache-Status", startsWith("edgecache; hit"));
    given().header("If-None-Match", "\"v0\"").get("/etag").then().statusCode(200).body(equalTo("etag 1"));
    assertEquals(1, origin.calls("/etag"));
  }

  @Test
  void aColdConditionalRequestGets304AndTheWholeObjectIsStored() {
    given().header("If-None-Match", "\"v1\"").get("/etag").then().statusCode(304)
        .header("Cache-Status", containsString("stored"));
    given().get("/etag").then().statusCode(200).body(equalTo("etag 1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    given().header("If-None-Match", "\"other\"").get("/fresh").then().statusCode(200).body(equalTo("fresh 1"));
    assertEquals(1, origin.calls("/etag"));
  }

  @Test
  void aColdRangeRequestGetsItsRangeAndTheWholeObjectIsStored() {
    given().header("Range", "bytes=2-4").get("/digits").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 2-4/10")).body(equalTo("234"));
    given().get("/digits").then().statusCode(200).body(equalTo("0123456789"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    given().header("Range", "bytes=50-").get("/fresh").then().statusCode(416);
    given().get("/fresh").then().body(equalTo("fresh 1"));
    assertEquals(1, origin.calls("/digits"));
  }

  @Test
  void aColdRangeOfABodyWithNoDeclaredLengthGetsItsRange() {
    // the body passes the range's end: answered before the length is known
    given().header("Range", "bytes=12-15").get("/chunked-digits").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 12-15/*")).body(equalTo("2345"));
    given().header("Range", "bytes=12-15").get("/chunked-digits").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 12-15/100")).body(equalTo("2345"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    given().get("/chunked-digits").then().statusCode(200).body(org.hamcrest.Matchers.hasLength(100));
    assertEquals(1, origin.calls("/chunked-digits"));
  }

  @Test
  void aColdRangeReachingPastTheEndOfABodyWithNoDeclaredLengthIsAnsweredAtTheEnd() {
    given().header("Range", "bytes=95-120").get("/chunked-digits?past").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 95-99/100")).body(equalTo("56789"));
    given().header("Range", "bytes=200-210").get("/chunked-digits?beyond").then().statusCode(416)
        .header("Content-Range", equalTo("bytes */100"));
    // open-ended and suffix ranges need the length: a small body is held whole and cut at its end
    given().header("Range", "bytes=90-").get("/chunked-digits?open").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 90-99/100")).body(equalTo("0123456789"));
    given().header("Range", "bytes=-5").get("/chunked-digits?suffix").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 95-99/100")).body(equalTo("56789"));
    given().header("Range", "bytes=0-0,5-5").get("/chunked-digits?several").then().statusCode(200)
        .body(org.hamcrest.Matchers.hasLength(100));
    given().header("Range", "bytes=0-9").head("/chunked-digits?head").then().statusCode(200);
    // a body longer than what is held back goes out whole
    byte[] whole = given().header("Range", "bytes=-10").get("/chunked-big").then().statusCode(200)
        .extract().asByteArray();
    assertEquals(2 * 1024 * 1024, whole.length);
  }

  @Test
  void rangesOnAHit() {
    given().get("/digits");
    given().header("Range", "bytes=2-4").get("/digits").then().statusCode(206)
        .header("Content-Range", equalTo("bytes 2-4/10")).body(equalTo("234"));
    given().header("Range", "bytes=-3").get("/digits").then().statusCode(206).body(equalTo("789"));
    given().header("Range", "bytes=20-").get("/digits").then().statusCode(416)
        .header("Content-Range", equalTo("bytes */10"));
    given().header("Range", "bytes=0-0,2-2").get("/digits").then().statusCode(206)
        .header("Content-Type", startsWith("multipart/byteranges; boundary="))
        .body(containsString("Content-Range: bytes 0-0/10"));
    given().header("Range", "bytes=" + "0-0,".repeat(1000)).get("/digits").then().statusCode(200)
        .body(equalTo("0123456789"));
    given().header("Range", "bytes=0-3,2-5").get("/digits").then().statusCode(200);
    given().header("Range", "bytes=garbage").get("/digits").then().statusCode(200);
    assertEquals(1, origin.calls("/digits"));
  }

  @Test
  void headIsAnsweredFromTheGetObject() {
    given().get("/fresh");
    Response head = given().head("/fresh");
    head.then().statusCode(200).header("Content-Length", equalTo("7"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals("", head.asString());
    assertEquals(1, origin.calls("/fresh"));
  }

  @Test
  void aColdHeadIsFilledAsAGetAndTheGetThatFollowsGetsTheWholeBody() {
    Response head = given().head("/fresh");
    head.then().statusCode(200).header("Content-Length", equalTo("7"))
        .header("Cache-Status", containsString("stored"));
    assertEquals("", head.asString());
    given().get("/fresh").then().body(equalTo("fresh 1")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/fresh"));
  }

  @Test
  void variantsAreKeptApart() {
    given().header("Accept-Language", "en").get("/vary").then().body(equalTo("lang en 1"));
    given().header("Accept-Language", "fr").get("/vary").then().body(equalTo("lang fr 2"));
    given().header("Accept-Language", "en").get("/vary").then().body(equalTo("lang en 1"));
    given().header("Accept-Language", "fr").get("/vary").then().body(equalTo("lang fr 2"));
    assertEquals(2, origin.calls("/vary"));
  }

  @Test
  void staleIfErrorWhenTheOriginThrowsOrAnswers503() {
    given().get("/flaky").then().body(equalTo("flaky 1"));
    origin.failure = "throw";
    given().get("/flaky").then().statusCode(200).body(equalTo("flaky 1"))
        .header("Cache-Status", containsString("fwd=stale"));
    origin.failure = "503";
    given().get("/flaky").then().statusCode(200).body(equalTo("flaky 1"))
        .header("Cache-Status", containsString("fwd=stale"));
    origin.failure = null;
    given().get("/flaky").then().body(equalTo("flaky 4"));
  }

  @Test
  void anOriginThatDiesMidwayLeavesNothingStored() {
    for (int i = 0; i < 2; i++) {
      try {
        given().get("/truncated").asByteArray();
      } catch (Exception expected) {
        // the connection is cut: the client never takes a short body as complete
      }
    }
    assertEquals(2, origin.calls("/truncated"), "the first, truncated response was not stored");
  }

  @Test
  void concurrentRequestsCollapseIntoOneOriginCall() throws Exception {
    origin.slowGate = new CountDownLatch(1);
    int clients = 50;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<String>> bodies = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      bodies.add(pool.submit(() -> given().get("/slow").asString()));
    }
    Thread.sleep(500);
    origin.slowGate.countDown();
    for (Future<String> b : bodies) {
      assertEquals("first;second", b.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(1, origin.calls("/slow"));
  }

  @Test
  void waitersGetTheFirstBytesBeforeTheOriginFinishes() throws Exception {
    origin.slowGate = new CountDownLatch(1);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(jetty.url("/slow"))).build();
    CompletableFuture<HttpResponse<InputStream>> owner = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    InputStream ownerBody = owner.get(10, TimeUnit.SECONDS).body();
    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertArrayEquals("first;".getBytes(StandardCharsets.US_ASCII), ownerBody.readNBytes(6)));
    HttpResponse<InputStream> waiter = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertTrue(waiter.headers().firstValue("Cache-Status").orElse("").contains("collapsed"));
    InputStream waiterBody = waiter.body();
    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertArrayEquals("first;".getBytes(StandardCharsets.US_ASCII), waiterBody.readNBytes(6)));
    origin.slowGate.countDown();
    assertEquals("second", new String(waiterBody.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals("second", new String(ownerBody.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals(1, origin.calls("/slow"));
  }

  @Test
  void aBadInitParamFailsTheFilterNamingIt() throws Exception {
    ServletExceptionCatcher catcher = new ServletExceptionCatcher();
    catcher.expect(Map.of("max-ranges", "lots"), "max-ranges");
    catcher.expect(Map.of("admin-token", "short"), "admin-token");
    catcher.expect(Map.of("store-set-cookie", "maybe"), "store-set-cookie");
  }

  /** Starts the filter with bad init-params and checks the failure names the parameter. */
  private static final class ServletExceptionCatcher {
    void expect(Map<String, String> params, String name) {
      EdgeCacheFilter filter = new EdgeCacheFilter();
      jakarta.servlet.ServletException e = org.junit.jupiter.api.Assertions.assertThrows(
          jakarta.servlet.ServletException.class, () -> filter.init(new jakarta.servlet.FilterConfig() {
            @Override
            public String getFilterName() {
              return "edge";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
              return null;
            }

            @Override
            public String getInitParameter(String n) {
              return params.get(n);
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
              return java.util.Collections.enumeration(params.keySet());
            }
          }));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void staleWhileRevalidateServesStaleAtOnceAndRefreshesOnceWithoutCredentials() throws Exception {
    given().get("/swr").then().body(equalTo("swr 1 cookie=none"));
    given().header("Cookie", "session=alice").get("/swr").then().statusCode(200)
        .body(equalTo("swr 1 cookie=none")).header("Cache-Status", containsString("fwd=stale"));
    awaitCalls("/swr", 2);
    // the refresh was called; its object commits when the origin's response ends, a moment later
    // (and is stale on arrival too, so each look may start the next refresh)
    String body = "";
    for (int i = 0; i < 200 && !body.equals("swr 2 cookie=none"); i++) {
      body = given().get("/swr").asString();
      if (!body.equals("swr 2 cookie=none")) {
        Thread.sleep(25);
      }
    }
    assertEquals("swr 2 cookie=none", body);
  }

  @Test
  void aStaleObjectWithAValidatorIsRevalidatedAndA304FreshensIt() {
    given().get("/validate").then().statusCode(200).body(equalTo("validated body 1"));
    given().get("/validate").then().statusCode(200).body(equalTo("validated body 1"))
        .header("Cache-Status", containsString("fwd=stale; fwd-status=304"));
    given().get("/validate").then().statusCode(200).body(equalTo("validated body 1"))
        .header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(2, origin.calls("/validate"));
  }

  private void awaitCalls(String path, int n) throws InterruptedException {
    for (int i = 0; i < 200 && origin.calls(path) < n; i++) {
      Thread.sleep(25);
    }
    assertEquals(n, origin.calls(path));
  }

  @Test
  void bytesTeedBeforeAResetAreDiscarded() {
    given().get("/reset").then().statusCode(200).body(equalTo("clean 1"));
    given().get("/reset").then().statusCode(200).body(equalTo("clean 2"));
  }

  @Test
  void anAsyncServletsResponseIsStoredWhenTheAsyncRequestCompletes() throws Exception {
    given().get("/async").then().statusCode(200).body(equalTo("async 1"));
    for (int i = 0; i < 100; i++) {
      String cs = given().get("/async").then().extract().header("Cache-Status");
      if (cs.startsWith("edgecache; hit")) {
        break;
      }
      Thread.sleep(20); // the completion listener may still be running
    }
    given().get("/async").then().body(equalTo("async 1")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/async"));
  }

  @Test
  void anAsyncServletThatWritesAroundTheFilterIsNotStoredAsAnEmptyObject() throws Exception {
    given().get("/async-around").then().statusCode(200).body(equalTo("async-around 1"));
    Thread.sleep(100);
    given().get("/async-around").then().statusCode(200).body(equalTo("async-around 2"));
  }

  @Test
  void aClientThatLeavesDuringTheFillDoesNotStopItForTheOthers() throws Exception {
    origin.slowGate = new CountDownLatch(1);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(jetty.url("/slow"))).build();
    InputStream leaving = client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
    assertArrayEquals("first;".getBytes(StandardCharsets.US_ASCII), leaving.readNBytes(6));
    HttpResponse<InputStream> staying = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    leaving.close(); // the owner's client disconnects at about half the body
    origin.slowGate.countDown();
    assertEquals("first;second", new String(staying.body().readAllBytes(), StandardCharsets.US_ASCII));
    awaitCalls("/slow", 1);
    // a client that does not ask for gzip, as the two above: the same coding variant
    HttpResponse<String> after = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals("first;second", after.body());
    assertTrue(after.headers().firstValue("Cache-Status").orElse("").startsWith("edgecache; hit"), after.headers().map().toString());
    assertEquals(1, origin.calls("/slow"));
  }

  @Test
  void hostileHeadersGetADefinedOutcome() {
    // garbage freshness from the origin: stale at once (invalid max-age, Expires 0), never a 500
    given().get("/garbage").then().statusCode(200).body(equalTo("garbage 1"));
    given().get("/garbage").then().statusCode(200);
    // garbage from the client
    given().get("/fresh");
    given().header("If-Modified-Since", "not a date").header("Range", "bytes=\u0000-")
        .header("Cache-Control", "max-age=\"oops").get("/fresh").then().statusCode(200)
        .body(equalTo("fresh 1"));
    given().header("If-None-Match", "\"" + "x".repeat(4000)).get("/fresh").then().statusCode(200);
    // a URL whose key is longer than the cache takes passes straight to the origin
    String longQuery = "q=" + "a".repeat(5000);
    given().get("/fresh?" + longQuery).then().statusCode(200)
        .header("Cache-Status", containsString("fwd=bypass"));
  }

  @Test
  void aSessionCookieAddedAfterTheFirstWriteKeepsTheResponseOutOfTheCache() {
    given().get("/late-session").then().statusCode(200).body(equalTo("hello session 1"))
        .header("Set-Cookie", containsString("JSESSIONID"));
    given().get("/late-session").then().statusCode(200).body(equalTo("hello session 2"));
  }

  @Test
  void noHeuristicFreshnessUnlessConfigured() {
    given().get("/heuristic").then().body(equalTo("heuristic 1"));
    given().get("/heuristic").then().body(equalTo("heuristic 2"));
  }

  @Test
  void softPurgeThroughTheAdminPathServesStaleOnlyWithinItsWindows() {
    given().get("/flaky").then().body(equalTo("flaky 1")); // stale-if-error=600
    given().get("/fresh").then().body(equalTo("fresh 1"));
    String url = "http://127.0.0.1:" + jetty.port() + "/fresh";
    given().header("Authorization", "Bearer " + TOKEN).param("url", url).param("soft", "true")
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    given().get("/fresh").then().body(equalTo("fresh 2")); // no stale window: fetched again
  }
}
