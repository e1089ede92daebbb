package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code min-uses}: a response is stored only once its key was asked for that many times. */
class FilterAdmissionTest {
  private final OriginServlet origin = new OriginServlet();
  private JettyHarness jetty;

  private void start(Map<String, String> params) throws Exception {
    jetty = JettyHarness.forRestAssured(origin, params);
  }

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  @Test
  void aKeyIsStoredOnItsThirdRequestWithMinUsesThree() throws Exception {
    start(Map.of("min-uses", "3"));
    given().get("/fresh").then().body(equalTo("fresh 1"))
        .header("Cache-Status", equalTo("edgecache; fwd=uri-miss; fwd-status=200; detail=\"admission\""));
    given().get("/fresh").then().body(equalTo("fresh 2")).header("Cache-Status", containsString("admission"));
    given().get("/fresh").then().body(equalTo("fresh 3")).header("Cache-Status", containsString("stored"));
    given().get("/fresh").then().body(equalTo("fresh 3")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(3, origin.calls("/fresh"));
    // every other key counts on its own
    given().get("/fresh?other").then().header("Cache-Status", containsString("admission"));
    given().get("/fresh").then().header("Cache-Status", startsWith("edgecache; hit"));
  }

  @Test
  void byDefaultTheFirstResponseIsStored() throws Exception {
    start(Map.of());
    given().get("/fresh").then().header("Cache-Status", containsString("stored"));
    given().get("/fresh").then().header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/fresh"));
  }

  @Test
  void aMinUsesOutsideOneToFifteenIsRefusedAtStart() {
    for (String bad : new String[] {"0", "16", "two"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FilterSettings.fromInitParams(Map.of("min-uses", bad)::get));
      org.hamcrest.MatcherAssert.assertThat(e.getMessage(), containsString("min-uses"));
    }
  }
}
