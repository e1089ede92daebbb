package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Purges do what they say and say what they did; the admin token never reaches the
 * application. Each rule as an operator meets it, through the filter in Jetty.
 */
class PurgeTruthTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private final Origin origin = new Origin();
  private JettyHarness jetty;

  /**
   * Fresh for a minute, stale-while-revalidate for a minute; {@code ?tags=N} sends N tags
   * {@code t0..}, {@code ?cachetag} and {@code ?xkey} tag with those fields, {@code /nostore}
   * is never stored. Counts calls by path and query, and notes every Authorization it is sent.
   */
  static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      methods.add(req.getMethod() + " " + req.getRequestURI());
      if (req.getHeader("Authorization") != null) {
        authorizations.add(req.getHeader("Authorization"));
      }
      String at = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
      int n = calls.computeIfAbsent(at, p -> new AtomicInteger()).incrementAndGet();
      res.setHeader("Cache-Control", req.getRequestURI().equals("/nostore") ? "no-store"
          : "max-age=60, stale-while-revalidate=60");
      String tags = req.getParameter("tags");
      if (tags != null) {
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < Integer.parseInt(tags); i++) {
          field.append(i == 0 ? "" : " ").append(req.getParameter("prefix") == null ? "t" : req.getParameter("prefix")).append(i);
        }
        res.setHeader("Surrogate-Key", field.toString());
      }
      if (req.getParameter("cachetag") != null) {
        res.setHeader("Cache-Tag", "shoes, red-shoes");
      }
      if (req.getParameter("xkey") != null) {
        res.setHeader("xkey", "boots green-boots");
      }
      res.setContentType("text/plain");
      res.getOutputStream().write((at + " " + n).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void start(Map<String, String> params) throws Exception {
    Map<String, String> all = new HashMap<>(params);
    all.put("admin-token", TOKEN);
    jetty = new JettyHarness(origin, null, all);
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TOKEN);
  }

  private static String get(String path) {
    return given().urlEncodingEnabled(false).get(path).then().statusCode(200).extract().asString();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + jetty.port() + path;
  }

  @Test
  void aSoftPurgeOfEverythingIsRefusedAndPurgesNothing() throws Exception {
    start(Map.of());
    get("/a");
    admin().param("all", "true").param("soft", "true").post("/_edge/purge").then().statusCode(400)
        .body("error", containsString("soft purge of everything"));
    admin().contentType(ContentType.JSON).body("{\"all\": true, \"soft\": true}").post("/_edge/purge").then()
        .statusCode(400);
    assertEquals("/a 1", get("/a"), "nothing was purged");
    admin().param("all", "1").post("/_edge/purge").then().statusCode(200)
        .body("items[0].scope", equalTo("invalidated")).body("ok", equalTo(true));
    assertEquals("/a 2", get("/a"));
  }

  @Test
  void softIsSpelledTrueOrOneAndAnythingElseIsRefused() throws Exception {
    start(Map.of());
    get("/a");
    admin().header("Fastly-Soft-Purge", "1").request("PURGE", "/a").then().statusCode(200)
        .body("soft", equalTo(true)).body("purged", equalTo(1));
    given().get("/a").then().body(equalTo("/a 1")).header("Cache-Status", containsString("fwd=stale"));
    get("/b");
    admin().header("Soft-Purge", "1").request("PURGE", "/b").then().statusCode(200).body("soft", equalTo(true));
    get("/c");
    admin().param("url", url("/c")).param("soft", "1").post("/_edge/purge").then().statusCode(200)
        .body("soft", equalTo(true));
    get("/d");
    admin().param("url", url("/d")).param("soft", "yes").post("/_edge/purge").then().statusCode(400)
        .body("error", containsString("soft must be true, false, 1 or 0"));
    admin().header("Fastly-Soft-Purge", "maybe").request("PURGE", "/d").then().statusCode(400);
    assertEquals("/d 1", get("/d"), "a refused purge purges nothing");
    admin().param("url", url("/d")).param("soft", "0").post("/_edge/purge").then().statusCode(200)
        .body("soft", equalTo(false));
    assertEquals("/d 2", get("/d"), "soft=0 is a hard purge");
  }

  @Test
  void everyTagWithinTheByteLimitIsIndexedAndMoreTagsPass() throws Exception {
    start(Map.of());
    // 400 tags, far past the 128 an earlier limit kept: the last one still purges the object
    assertEquals("/many?tags=400 1", get("/many?tags=400"));
    admin().param("tag", "t399").post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    assertEquals("/many?tags=400 2", get("/many?tags=400"));
    // tags past 16 KiB in all: passed, never stored, and the reason said
    String path = "/toomany?tags=2000&prefix=a-tag-of-some-length-";
    given().urlEncodingEnabled(false).get(path).then().statusCode(200)
        .header("Cache-Status", containsString("detail=\"tags\""));
    assertEquals(path.substring(0) + " 2", get(path));
  }

  @Test
  void dotSegmentsInAPrefixOrUrlAreResolvedAsARequestsAre() throws Exception {
    start(Map.of());
    for (String given : List.of("/p/../q", "/p/%2e%2e/q", "/./q", "/q/x/..")) {
      get("/q/page");
      admin().param("prefix", url(given)).post("/_edge/purge").then().statusCode(200)
          .body("items[0].scope", equalTo("invalidated"));
    }
    assertEquals("/q/page 5", get("/q/page"), "each of the four purged /q");
    get("/r");
    admin().param("url", url("/s/../r")).post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    assertEquals("/r 2", get("/r"));
  }

  @Test
  void aUrlPurgeMatchesWhateverTheSchemeAndPort() throws Exception {
    start(Map.of());
    get("/x");
    // the URL the public sees, behind a TLS terminator: https, default port
    admin().param("url", "https://127.0.0.1/x").post("/_edge/purge").then().statusCode(200)
        .body("purged", equalTo(1));
    assertEquals("/x 2", get("/x"));
    admin().contentType(ContentType.JSON).body("{\"urls\": [\"http://127.0.0.1:1/x\"]}").post("/_edge/purge")
        .then().statusCode(200).body("purged", equalTo(1));
    assertEquals("/x 3", get("/x"));
    // the host, path and query still count
    admin().param("url", "https://127.0.0.1/x?other").post("/_edge/purge").then().body("purged", equalTo(0));
    assertEquals("/x 3", get("/x"));
  }

  @Test
  void countsAreOfObjectsAndScopePurgesSayTheyCannotCount() throws Exception {
    start(Map.of());
    get("/nostore");
    get("/nostore"); // a hit-for-miss marker is all that is stored
    admin().param("url", url("/nostore")).post("/_edge/purge").then().statusCode(200)
        .body("items[0].purged", equalTo(0)).body("purged", equalTo(0));
    admin().param("prefix", url("/nothing-here")).post("/_edge/purge").then().statusCode(200)
        .body("items[0].scope", equalTo("invalidated")).body("items[0].purged", nullValue());
    admin().param("host", "nothing.example").post("/_edge/purge").then().statusCode(200)
        .body("items[0].scope", equalTo("invalidated"));
    // a tag whose only object was purged already counts nothing the second time
    get("/one?tags=1");
    admin().param("url", url("/one?tags=1")).post("/_edge/purge").then().body("purged", equalTo(1));
    admin().param("tag", "t0").post("/_edge/purge").then().body("purged", equalTo(0));
  }

  @Test
  void cloudflaresBatchSpellingIsAcceptedWithItsSetting() throws Exception {
    start(Map.of());
    admin().contentType(ContentType.JSON).body("{\"files\": [\"" + url("/a") + "\"]}").post("/_edge/purge").then()
        .statusCode(400).body("error", containsString("unknown member \"files\""));
    jetty.close();
    start(Map.of("purge-cloudflare-batch", "true"));
    get("/a");
    get("/b");
    get("/blog/c");
    admin().contentType(ContentType.JSON).body("{\"files\": [\"" + url("/a") + "\", {\"url\": \"" + url("/b")
        + "\", \"headers\": {}}], \"prefixes\": [\"127.0.0.1/blog\"]}").post("/_edge/purge").then()
        .statusCode(200).body("purged", equalTo(2)).body("items[2].scope", equalTo("invalidated"));
    assertEquals("/a 2", get("/a"));
    assertEquals("/b 2", get("/b"));
    assertEquals("/blog/c 2", get("/blog/c"));
    admin().contentType(ContentType.JSON).body("{\"purge_everything\": true}").post("/_edge/purge").then()
        .statusCode(200);
    assertEquals("/a 3", get("/a"));
  }

  @Test
  void cacheTagAndXkeyTagObjectsWithTheirSettingAndNeverReachClients() throws Exception {
    start(Map.of("tag-fields", "Surrogate-Key, Cache-Tag, xkey"));
    assertNull(given().get("/t?cachetag").then().statusCode(200).extract().header("Cache-Tag"));
    assertNull(given().get("/t?cachetag").then().statusCode(200).extract().header("Cache-Tag"), "nor on a hit");
    assertNull(given().get("/k?xkey").then().statusCode(200).extract().header("xkey"));
    admin().param("tag", "red-shoes").param("tag", "green-boots").post("/_edge/purge").then().statusCode(200)
        .body("purged", equalTo(2));
    assertEquals("/t?cachetag 2", get("/t?cachetag"));
    assertEquals("/k?xkey 2", get("/k?xkey"));
    jetty.close();
    start(Map.of()); // without the setting, Cache-Tag is the application's own field
    given().get("/t?cachetag").then().header("Cache-Tag", equalTo("shoes, red-shoes"));
  }

  @Test
  void banIsAnsweredByTheEdgeNeverTheApplication() throws Exception {
    start(Map.of());
    given().request("BAN", "/a").then().statusCode(405);
    admin().request("BAN", "/a").then().statusCode(405);
    assertEquals(List.of(), origin.methods);
  }

  @Test
  void theAdminTokenNeverReachesTheApplication() throws Exception {
    start(Map.of());
    admin().post("/APP/_edge/purge").then().statusCode(404);
    admin().get("/_EDGE/stats").then().statusCode(404);
    admin().get("/anything").then().statusCode(404);
    admin().get("/a").then().statusCode(404); // shorter than the admin path
    admin().request("PATCH", "/anything").then().statusCode(404);
    assertEquals(List.of(), origin.authorizations, "the token was never sent on");
    assertEquals(List.of(), origin.methods);
    // another credential is the application's own
    given().header("Authorization", "Bearer the-app-s-own").get("/private").then().statusCode(200);
    assertEquals(List.of("Bearer the-app-s-own"), origin.authorizations);
  }
}
