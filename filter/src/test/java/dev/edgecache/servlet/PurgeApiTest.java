package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin path's purges: by URL, tag, prefix and host, hard and soft, one by one or in a JSON batch. */
class PurgeApiTest {
  /** The documented bounds of a JSON batch. */
  private static final int MAX_ITEMS = 1000;
  private static final int MAX_BODY_BYTES = 1 << 20;

  private static final String TOKEN = "0123456789abcdef-token";
  private final Origin origin = new Origin();
  private JettyHarness jetty;

  /** Every path is fresh for a minute, stale-while-revalidate 30 s; /blog/... is tagged "blog". */
  static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
      String at = req.getServerName() + path;
      int n = calls.computeIfAbsent(at, p -> new AtomicInteger()).incrementAndGet();
      res.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
      if (path.startsWith("/blog/")) {
        res.setHeader("Surrogate-Key", "blog");
      }
      res.setContentType("text/plain");
      res.getOutputStream().write((at + " " + n).getBytes(StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void start() throws Exception {
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + jetty.port() + path;
  }

  private static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TOKEN);
  }

  /** What a GET of {@code path} answers now. */
  private static String get(String path) {
    return given().get(path).then().statusCode(200).extract().asString();
  }

  private static String getAt(String host, String path) {
    return given().header("Host", host).get(path).then().statusCode(200).extract().asString();
  }

  private static void warm(String... paths) {
    for (String p : paths) {
      get(p);
    }
  }

  /** A URL purge keys its URL as a request's is keyed: its query in the same canonical form. */
  @Test
  void aUrlPurgeFindsAnObjectWhoseQueryHasEscapesAndCommas() {
    String path = "/q?cc=max-age%3D60,stale%3D1&x=%7Bb%7D";
    given().urlEncodingEnabled(false).get(path).then().statusCode(200);
    admin().urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded")
        .body("url=" + java.net.URLEncoder.encode(url(path), StandardCharsets.UTF_8))
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    admin().urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded")
        .body("url=" + java.net.URLEncoder.encode(url("/q?%zz"), StandardCharsets.UTF_8))
        .post("/_edge/purge").then().statusCode(400);
  }

  @Test
  void aPrefixPurgesThePathAndEverythingUnderItButNotItsSiblings() {
    warm("/blog", "/blog/a", "/blog/a/b?page=2", "/blogroll", "/shop/c");
    admin().param("prefix", url("/blog")).post("/_edge/purge").then().statusCode(200)
        .body("items[0].prefix", equalTo(url("/blog"))).body("items[0].scope", equalTo("invalidated"))
        .body("ok", equalTo(true)).body("soft", equalTo(false));
    assertEquals("127.0.0.1/blog 2", get("/blog"));
    assertEquals("127.0.0.1/blog/a 2", get("/blog/a"));
    assertEquals("127.0.0.1/blog/a/b?page=2 2", get("/blog/a/b?page=2"));
    assertEquals("127.0.0.1/blogroll 1", get("/blogroll"));
    assertEquals("127.0.0.1/shop/c 1", get("/shop/c"));
    // a trailing slash means the same, and what was filled since stays until the next purge
    admin().param("prefix", url("/blog/a/")).post("/_edge/purge").then().statusCode(200);
    assertEquals("127.0.0.1/blog 2", get("/blog"));
    assertEquals("127.0.0.1/blog/a 3", get("/blog/a"));
  }

  @Test
  void aHostPurgesEveryObjectOfThatHostOnly() {
    warm("/x", "/y/z");
    assertEquals("other.example/x 1", getAt("other.example", "/x"));
    admin().param("host", "127.0.0.1").post("/_edge/purge").then().statusCode(200)
        .body("items[0].host", equalTo("127.0.0.1")).body("items[0].scope", equalTo("invalidated"));
    assertEquals("127.0.0.1/x 2", get("/x"));
    assertEquals("127.0.0.1/y/z 2", get("/y/z"));
    assertEquals("other.example/x 1", getAt("other.example", "/x"));
    admin().param("host", "OTHER.example").post("/_edge/purge").then().statusCode(200);
    assertEquals("other.example/x 2", getAt("other.example", "/x"));
  }

  @Test
  void aSoftPrefixPurgeServesStaleWhileOneRequestRefreshes() throws Exception {
    warm("/blog/a", "/shop/c");
    admin().param("prefix", url("/blog")).param("soft", "true").post("/_edge/purge").then().statusCode(200)
        .body("soft", equalTo(true));
    given().get("/blog/a").then().body(equalTo("127.0.0.1/blog/a 1"))
        .header("Cache-Status", containsString("fwd=stale"));
    // the revalidation runs in the background; its answer replaces the stale object
    for (int i = 0; i < 200 && origin.calls.get("127.0.0.1/blog/a").get() < 2; i++) {
      Thread.sleep(10);
    }
    assertEquals(2, origin.calls.get("127.0.0.1/blog/a").get());
    assertEquals("127.0.0.1/shop/c 1", get("/shop/c"));
  }

  @Test
  void aJsonBatchPurgesEachItemAndAnswersWhatEachPurged() {
    warm("/one", "/two", "/blog/p", "/docs/a", "/docs/b");
    assertEquals("other.example/x 1", getAt("other.example", "/x"));
    String batch = "{\"urls\": [\"" + url("/one") + "\", \"" + url("/never-cached") + "\"],"
        + " \"tags\": [\"blog\"], \"prefixes\": [\"" + url("/docs") + "\"], \"hosts\": [\"other.example\"]}";
    admin().contentType(ContentType.JSON).body(batch).post("/_edge/purge").then().statusCode(200)
        .contentType("application/json")
        .body("items.size()", equalTo(5))
        .body("items[0].url", equalTo(url("/one"))).body("items[0].purged", equalTo(1))
        .body("items[1].purged", equalTo(0))
        .body("items[2].tag", equalTo("blog")).body("items[2].purged", equalTo(1))
        .body("items[3].prefix", equalTo(url("/docs"))).body("items[3].scope", equalTo("invalidated"))
        .body("items[4].host", equalTo("other.example"))
        .body("purged", equalTo(2)).body("ok", equalTo(true));
    assertEquals("127.0.0.1/one 2", get("/one"));
    assertEquals("127.0.0.1/two 1", get("/two"));
    assertEquals("127.0.0.1/blog/p 2", get("/blog/p"));
    assertEquals("127.0.0.1/docs/a 2", get("/docs/a"));
    assertEquals("127.0.0.1/docs/b 2", get("/docs/b"));
    assertEquals("other.example/x 2", getAt("other.example", "/x"));
  }

  @Test
  void aBadBatchPurgesNothingAndSaysWhy() {
    warm("/one");
    Map<String, String> bad = Map.of(
        "{\"urls\": [\"" + url("/one") + "\", \"/relative\"]}", "url must be an absolute http(s) URL",
        "{\"urls\": \"" + url("/one") + "\"}", "\"urls\" must be an array of strings",
        "{\"url\": [\"" + url("/one") + "\"]}", "unknown member \"url\"",
        "{\"tags\": [\"has space\"]}", "not a surrogate key",
        "{\"prefixes\": [\"" + url("/a?b=1") + "\"]}", "a prefix has no query",
        "{\"hosts\": [\"a.example/path\"]}", "host must be a host name",
        "{\"soft\": \"yes\", \"tags\": [\"t\"]}", "\"soft\" must be true or false",
        "{}", "the batch names nothing",
        "[1, 2", "not JSON at character 5");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      admin().contentType(ContentType.JSON).body(b.getKey()).post("/_edge/purge").then()
          .statusCode(400).body("error", containsString(b.getValue()));
    }
    assertEquals("127.0.0.1/one 1", get("/one"), "nothing was purged");
  }

  @Test
  void aBatchIsBoundedInItemsAndBytes() throws Exception {
    StringBuilder many = new StringBuilder("{\"tags\": [");
    for (int i = 0; i <= MAX_ITEMS; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    admin().contentType(ContentType.JSON).body(many.append("]}").toString()).post("/_edge/purge").then()
        .statusCode(400).body("error", equalTo("a purge names " + MAX_ITEMS + " items at most"));
    // declared too large: refused before a byte of it is read
    dev.edgecache.testing.RawHttp.Answer declared = dev.edgecache.testing.RawHttp.send(jetty.port(),
        "POST /_edge/purge HTTP/1.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json"
            + "\r\nContent-Length: " + (MAX_BODY_BYTES + 1), "");
    assertEquals(413, declared.status(), declared.body());
    // chunked, so its length shows only as it is read
    String chunk = "x".repeat(64 * 1024);
    String open = "{\"tags\": [\"";
    StringBuilder chunked = new StringBuilder(Integer.toHexString(open.length()) + "\r\n" + open + "\r\n");
    for (int i = 0; i <= MAX_BODY_BYTES / chunk.length(); i++) {
      chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    chunked.append("4\r\n\"]}\n\r\n0\r\n\r\n");
    dev.edgecache.testing.RawHttp.Answer streamed = dev.edgecache.testing.RawHttp.send(jetty.port(),
        "POST /_edge/purge HTTP/1.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json"
            + "\r\nTransfer-Encoding: chunked", chunked.toString());
    assertEquals(413, streamed.status(), streamed.body());
  }

  @Test
  void everyPurgeNeedsTheToken() {
    warm("/blog/a");
    for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer nope"))) {
      anonymous.param("prefix", url("/blog")).post("/_edge/purge").then().statusCode(401);
    }
    given().contentType(ContentType.JSON).body("{\"hosts\": [\"127.0.0.1\"]}").post("/_edge/purge").then()
        .statusCode(401);
    assertEquals("127.0.0.1/blog/a 1", get("/blog/a"));
  }

  @Test
  void formFieldsMayRepeatAndMix() {
    warm("/a", "/b", "/blog/c");
    admin().param("url", url("/a"), url("/b")).param("tag", "blog").post("/_edge/purge").then().statusCode(200)
        .body("items.size()", equalTo(3)).body("purged", equalTo(3));
    assertEquals("127.0.0.1/a 2", get("/a"));
    assertEquals("127.0.0.1/b 2", get("/b"));
    assertEquals("127.0.0.1/blog/c 2", get("/blog/c"));
  }

  @Test
  void thePurgeMethodAnswersAsTheAdminPathDoes() {
    warm("/a");
    admin().request("PURGE", "/a").then().statusCode(200).body("items[0].url", equalTo(url("/a")))
        .body("purged", equalTo(1)).body("soft", equalTo(false));
    assertEquals("127.0.0.1/a 2", get("/a"));
    // soft with Soft-Purge: served stale within its stale-while-revalidate, while it refreshes
    admin().header("Soft-Purge", "true").request("PURGE", "/a").then().statusCode(200)
        .body("soft", equalTo(true)).body("purged", equalTo(1));
    given().get("/a").then().body(equalTo("127.0.0.1/a 2")).header("Cache-Status", containsString("fwd=stale"));
  }

  @Test
  void statsCountBytesPassesPurgesAndOriginLatency() throws Exception {
    jetty.close(); // bytes counted exactly as the origin wrote them: no gzip of the cache's
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN, "gzip", "false"));
    RestAssured.port = jetty.port();
    warm("/a", "/a");
    given().post("/a").then().statusCode(405);
    admin().param("tag", "x").param("host", "127.0.0.1").post("/_edge/purge").then().statusCode(200);
    long bodyBytes = "127.0.0.1/a 1".length();
    admin().get("/_edge/stats").then().statusCode(200)
        .body("hits", equalTo(1)).body("misses", equalTo(1))
        .body("bytesFromCache", equalTo((int) bodyBytes)).body("bytesFromOrigin", equalTo((int) bodyBytes))
        .body("passes.method", equalTo(1))
        .body("purges.tag", equalTo(1)).body("purges.host", equalTo(1))
        .body("originLatencyMillis.counts.sum()", equalTo(2))
        .body("activity.keysInFlight", equalTo(0)).body("activity.waiters", equalTo(0));
  }

  @Test
  void aPathNearTheKeyLimitIsStoredAndPurgedByItsPrefix() {
    String path = "/long/" + "y".repeat(4000);
    warm(path);
    given().get(path).then().statusCode(200).header("Cache-Status", containsString("hit"));
    admin().param("prefix", url("/long")).post("/_edge/purge").then().statusCode(200);
    assertEquals("127.0.0.1" + path + " 2", get(path));
  }
}
