package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key options: sorted and ignored query parameters, key headers and cookies. */
class FilterKeyOptionsTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private OriginServlet origin;
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginServlet();
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN, "key-sort-query", "true",
        "key-ignore-params", "utm_source, utm_medium", "key-headers", "X-Tenant", "key-cookies", "region"));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  @Test
  void sortedAndIgnoredParameters() {
    given().get("/fresh?b=2&a=1").then().body(equalTo("fresh 1"));
    given().get("/fresh?a=1&b=2").then().body(equalTo("fresh 1"));
    given().get("/fresh?a=1&b=2&utm_source=mail").then().body(equalTo("fresh 1"));
    given().urlEncodingEnabled(false).get("/fresh?utm%5Fsource=x").then().body(equalTo("fresh 2"));
    given().get("/fresh").then().body(equalTo("fresh 2"));
    assertEquals(2, origin.calls("/fresh"));
  }

  @Test
  void keyHeadersAndCookiesSelectVariantsThatAPurgeOfTheUrlRemoves() {
    given().header("X-Tenant", "a").get("/fresh").then().body(equalTo("fresh 1"));
    given().header("X-Tenant", "b").get("/fresh").then().body(equalTo("fresh 2"));
    given().header("X-Tenant", "a").get("/fresh").then().body(equalTo("fresh 1"));
    given().cookie("region", "eu").header("X-Tenant", "a").get("/fresh").then().body(equalTo("fresh 3"));
    given().cookie("region", "eu").header("X-Tenant", "a").get("/fresh").then().body(equalTo("fresh 3"));
    assertEquals(3, origin.calls("/fresh"));
    given().header("Authorization", "Bearer " + TOKEN)
        .param("url", "http://127.0.0.1:" + jetty.port() + "/fresh?utm_source=ignored")
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    given().header("X-Tenant", "a").get("/fresh").then().body(equalTo("fresh 4"));
    given().header("X-Tenant", "b").get("/fresh").then().body(equalTo("fresh 5"));
  }

  @Test
  void heuristicFreshnessWhenConfigured() throws Exception {
    jetty.close();
    jetty = new JettyHarness(origin, null, Map.of("heuristic-fraction", "0.1"));
    RestAssured.port = jetty.port();
    given().get("/heuristic").then().body(equalTo("heuristic 1"));
    given().get("/heuristic").then().body(equalTo("heuristic 1"));
  }

  @Test
  void trackingParametersAndAKeepListStayOutOfTheKeyAndAreNotShownToTheApplication() throws Exception {
    jetty.close();
    jetty = new JettyHarness(origin, null, Map.of("key-ignore-tracking", "true"));
    RestAssured.port = jetty.port();
    given().get("/echo-query?id=7&utm_source=mail&gclid=abc").then().body(equalTo("query 1 id=7 [id] null [id]"));
    given().get("/echo-query?fbclid=x&id=7").then().body(equalTo("query 1 id=7 [id] null [id]"));
    given().get("/echo-query?id=8&ref=evil").then().body(equalTo("query 2 id=8 [id] null [id]"));
    given().get("/echo-query?utm_campaign=c").then().body(equalTo("query 3 null [] null []"));
    given().get("/echo-query").then().body(equalTo("query 3 null [] null []"));
    assertEquals(3, origin.calls("/echo-query"));

    jetty.close();
    jetty = new JettyHarness(origin, null, Map.of("key-keep-params", "q, page"));
    RestAssured.port = jetty.port();
    given().get("/echo-query?q=shoes&x=%3Cscript%3E").then().body(equalTo("query 4 q=shoes [q] null [q]"));
    given().get("/echo-query?x=other&q=shoes").then().body(equalTo("query 4 q=shoes [q] null [q]"));
    given().get("/echo-query?q=shoes&page=2").then().body(equalTo("query 5 q=shoes&page=2 [page, q] null [q, page]"));
    assertEquals(5, origin.calls("/echo-query"));
  }
}
