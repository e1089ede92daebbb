package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QUERY: responses cached under a key that holds the request's content. */
class FilterQueryTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private final OriginServlet origin = new OriginServlet();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    jetty = JettyHarness.forRestAssured(origin, Map.of("admin-token", TOKEN, "query-max-bytes", "1024"));
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private static Response query(String path, String type, String body) {
    return given().contentType(type).body(body).request("QUERY", path);
  }

  @Test
  void theSameContentIsAHitAndAnyOtherContentOrTypeAnotherKey() {
    query("/query", "text/plain", "q=shoes").then().statusCode(200)
        .body(equalTo("query 1 type=text/plain; charset=iso-8859-1 body=q=shoes"))
        .header("Cache-Status", containsString("stored"));
    query("/query", "text/plain", "q=shoes").then().body(startsWith("query 1 "))
        .header("Cache-Status", startsWith("edgecache; hit"));
    query("/query", "text/plain", "q=boots").then().body(equalTo("query 2 type=text/plain; charset=iso-8859-1 body=q=boots"));
    query("/query", "application/json", "q=shoes").then().body(startsWith("query 3 type=application/json"));
    query("/query?page=2", "text/plain", "q=shoes").then().body(startsWith("query 4 "));
    query("/query", "text/plain", "q=shoes").then().body(startsWith("query 1 "));
    // a GET of the URL is another request: never answered with a QUERY's response
    given().get("/query").then().body(equalTo("get 5"));
    assertEquals(5, origin.calls("/query"));
  }

  @Test
  void contentLargerThanTheLimitPassesWholeAndUncached() {
    String large = "x".repeat(3000);
    query("/query", "text/plain", large).then().statusCode(200).body(equalTo("query 1 type=text/plain; charset=iso-8859-1 body=" + large))
        .header("Cache-Status", containsString("fwd=bypass"));
    query("/query", "text/plain", large).then().body(startsWith("query 2 "));
  }

  @Test
  void contentOfUnknownLengthIsReadWholeForTheKey() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String answer = null;
    for (int i = 0; i < 2; i++) {
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + "/query"))
          .header("Content-Type", "text/plain")
          .method("QUERY", HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream("chunked content".getBytes(StandardCharsets.US_ASCII))))
          .build();
      HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      answer = answer == null ? response.body() : answer;
      assertEquals(answer, response.body());
    }
    assertEquals("query 1 type=text/plain body=chunked content", answer);
    assertEquals(1, origin.calls("/query"));
  }

  @Test
  void aPurgeOfTheUrlAndAnUnsafeMethodRemoveItsQueryResponses() {
    query("/query", "text/plain", "a").then().body(startsWith("query 1 "));
    query("/query", "text/plain", "b").then().body(startsWith("query 2 "));
    given().header("Authorization", "Bearer " + TOKEN).param("url", "http://127.0.0.1:" + jetty.port() + "/query")
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    query("/query", "text/plain", "a").then().body(startsWith("query 3 "));
    given().post("/query").then().statusCode(204);
    query("/query", "text/plain", "a").then().body(startsWith("query 5 "));
    query("/query", "text/plain", "a").then().body(startsWith("query 5 "));
  }

  private static int waiters() {
    return given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().extract().path("activity.waiters");
  }

  @Test
  void concurrentRequestsWithTheSameContentShareOneOriginCall() throws Exception {
    origin.slowGate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> query("/query-slow", "text/plain", "same").then().statusCode(200)
            .extract().asString()));
      }
      dev.edgecache.Waits.until(() -> origin.calls("/query-slow") == 1 && waiters() == 3, "three requests wait for the first");
      origin.slowGate.countDown();
      for (Future<String> a : answers) {
        assertEquals("query 1 type=text/plain; charset=iso-8859-1 body=same", a.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, origin.calls("/query-slow"));
    } finally {
      origin.slowGate.countDown();
      pool.shutdownNow();
    }
  }
}
