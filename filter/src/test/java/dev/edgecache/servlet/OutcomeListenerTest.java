package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each request's outcome is told once to the filter's outcome listener. */
class OutcomeListenerTest {
  private final OriginServlet origin = new OriginServlet();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    EdgeCacheFilter filter = new EdgeCacheFilter();
    filter.setOutcomeListener((key, outcome) -> told.add(outcome + " " + key.substring(key.lastIndexOf('/'))));
    jetty = new JettyHarness(origin, filter, Map.of("cache-name", "outcomes"));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  @Test
  void oneOutcomePerRequest() {
    given().get("/fresh");
    given().get("/fresh");
    given().get("/private");
    given().post("/fresh");
    given().get("/flaky").then().body(equalTo("flaky 1"));
    origin.failure = "throw";
    given().get("/flaky").then().statusCode(200).body(equalTo("flaky 1"));
    origin.failure = "503";
    given().get("/flaky").then().statusCode(200).body(equalTo("flaky 1"));
    origin.failure = null;
    given().get("/validate");
    given().get("/validate").then().body(equalTo("validated body 1"));
    given().get("/swr");
    given().get("/swr");
    assertEquals(List.of("MISS /fresh", "HIT /fresh", "MISS /private", "PASS /fresh",
        "MISS /flaky", "STALE_IF_ERROR /flaky", "STALE_IF_ERROR /flaky",
        "MISS /validate", "REVALIDATED /validate", "MISS /swr", "STALE /swr"), told);
  }
}
