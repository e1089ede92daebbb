package dev.edgecache.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample WAR, run by the runnable jar, behaves as its index page says. */
class SampleAppTest {
  private static final String TOKEN = "sample-admin-token-0123456789";
  private static EdgeProcess edge;

  @BeforeAll
  static void start() throws Exception {
    edge = new EdgeProcess("--admin-token", TOKEN);
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = edge.port();
  }

  @AfterAll
  static void stop() throws Exception {
    edge.close();
  }

  @Test
  void aPageIsStoredThenHitAndPurgedByTag() {
    String first = given().get("/pages/tagged").then().statusCode(200)
        .header("Cache-Status", containsString("stored")).header("Surrogate-Control", (String) null)
        .extract().asString();
    given().get("/pages/tagged").then().body(equalTo(first)).header("Cache-Status", containsString("hit"));
    given().formParam("tag", "page-tagged").post("/_edge/purge").then().statusCode(401);
    given().header("Authorization", "Bearer " + TOKEN).formParam("tag", "page-tagged").post("/_edge/purge")
        .then().statusCode(200);
    given().get("/pages/tagged").then().body(not(equalTo(first))).body(containsString("origin call #2"));
  }

  @Test
  void concurrentRequestsOnTheSlowPageMakeOneOriginCall() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        answers.add(pool.submit(() -> given().get("/slow").then().statusCode(200).extract().asString()));
      }
      Set<String> bodies = new HashSet<>();
      for (Future<String> a : answers) {
        bodies.add(a.get());
      }
      assertEquals(Set.of("slow page, origin call #1\n"), bodies);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFlakyPageIsServedStaleWhenItsOriginFails() throws Exception {
    String good = given().get("/flaky").then().statusCode(200).extract().asString();
    given().queryParam("fail", "true").post("/flaky-switch").then().statusCode(200);
    try {
      Thread.sleep(5_500); // past its 5 s of freshness: now only usable if the origin fails
      given().get("/flaky").then().statusCode(200).body(equalTo(good))
          .header("Cache-Status", containsString("stale-if-error"));
    } finally {
      given().queryParam("fail", "false").post("/flaky-switch");
    }
  }

  @Test
  void aPersonalPageIsNeverStoredNorSharedAndAnEtagGets304() {
    given().get("/personal?name=alice").then().body(equalTo("hello, alice\n"))
        .header("Cache-Status", not(containsString("stored")));
    given().get("/personal?name=bob").then().body(equalTo("hello, bob\n"));
    given().get("/etag").then().statusCode(200);
    given().header("If-None-Match", "\"v1\"").get("/etag").then().statusCode(304)
        .header("Cache-Status", containsString("hit"));
  }

  @Test
  void theInterceptedQuoteIsComputedOnce() {
    String first = given().get("/quote?sku=it").then().statusCode(200)
        .header("Cache-Status", not(containsString("stored"))).extract().asString();
    given().get("/quote?sku=it").then().body(equalTo(first));
    assertEquals(true, first.endsWith("computation #1\n"), first);
  }

  @Test
  void aDownloadStreamsWholeAndIsThenAHit() {
    byte[] body = given().get("/download?mb=4").then().statusCode(200).extract().asByteArray();
    assertEquals(4 * 1024 * 1024, body.length);
    for (int i = 0; i < body.length; i += 4099) {
      assertEquals((byte) i, body[i], "byte " + i);
    }
    given().get("/download?mb=4").then().header("Cache-Status", containsString("hit"));
  }

  /** The front page's examples do what it says: its download is a hit, a larger one never is. */
  @Test
  void theFrontPageLinksTheAdminPagesAndItsExamplesTellTheTruth() {
    String front = given().get("/").then().statusCode(200).extract().asString();
    assertTrue(front.contains("href=\"_edge/status\"") && front.contains("href=\"_edge/metrics\""), front);
    assertTrue(front.contains("href=\"download?mb=8\""), front);
    given().get("/download?mb=8").then().statusCode(200);
    // from the cache: a hit, or the same fill if it is still being committed
    String again = given().get("/download?mb=8").then().statusCode(200).extract().header("Cache-Status");
    assertTrue(again.contains("; hit") || again.contains("; collapsed"), again);
    given().get("/download?mb=17").then().statusCode(200).header("Cache-Status", not(containsString("stored")));
    given().get("/download?mb=17").then().statusCode(200).header("Cache-Status", not(containsString("hit")))
        .header("Cache-Status", not(containsString("collapsed")));
  }

  @Test
  void theStatisticsNeedTheTokenAndCountWhatHappened() {
    given().get("/_edge/stats").then().statusCode(401);
    int hitsBefore = given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200)
        .contentType("application/json").extract().path("hits");
    given().get("/pages/stats");
    given().get("/pages/stats").then().header("Cache-Status", containsString("hit"));
    int hitsAfter = given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200)
        .extract().path("hits");
    assertTrue(hitsAfter >= hitsBefore + 1, hitsBefore + " then " + hitsAfter);
  }
}
