package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partial content (RFC 9111 §3.3): a range of something not stored goes to the origin as asked,
 * its 206 is kept, and later ranges within it are answered from it.
 */
class FilterPartialContentTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private OriginServlet origin;
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginServlet();
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private static Response range(String range) {
    return given().header("Range", range).get("/ranges");
  }

  @Test
  void aRangeGoesToTheOriginAsAskedAndRangesWithinItAreAnsweredFromIt() {
    range("bytes=0-4").then().statusCode(206).header("Content-Range", "bytes 0-4/20").body(equalTo("01234"))
        .header("Cache-Status", startsWith("edgecache; fwd=uri-miss; fwd-status=206; stored"));
    assertEquals("bytes=0-4", origin.lastRange);
    range("bytes=1-3").then().statusCode(206).header("Content-Range", "bytes 1-3/20").header("Content-Length", "3")
        .header("X-Call", "1").body(equalTo("123")).header("Cache-Status", startsWith("edgecache; hit"));
    range("bytes=0-4").then().statusCode(206).body(equalTo("01234")).header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(1, origin.calls("/ranges"));

    // beyond what is held: asked of the origin, and the new range is kept instead
    range("bytes=-5").then().statusCode(206).header("Content-Range", "bytes 15-19/20").body(equalTo("fghij"))
        .header("X-Call", "2");
    assertEquals("bytes=-5", origin.lastRange);
    range("bytes=16-").then().statusCode(206).header("Content-Range", "bytes 16-19/20").body(equalTo("ghij"))
        .header("X-Call", "2").header("Cache-Status", startsWith("edgecache; hit"));
    assertEquals(2, origin.calls("/ranges"));

    // the whole object: fetched whole, and from then on it answers every range
    given().get("/ranges").then().statusCode(200).body(equalTo("0123456789abcdefghij")).header("X-Call", "3");
    assertNull(origin.lastRange);
    range("bytes=2-3").then().statusCode(206).body(equalTo("23")).header("X-Call", "3");
    range("bytes=1-2, 5-6").then().statusCode(206).header("X-Call", "3");
    assertEquals(3, origin.calls("/ranges"));
  }

  @Test
  void anIfRangeThatDoesNotMatchWhatIsHeldGoesToTheOrigin() {
    range("bytes=0-9").then().statusCode(206);
    given().header("Range", "bytes=2-3").header("If-Range", "\"r1\"").get("/ranges").then().statusCode(206)
        .body(equalTo("23")).header("Cache-Status", startsWith("edgecache; hit"));
    given().header("Range", "bytes=2-3").header("If-Range", "\"other\"").get("/ranges").then().statusCode(200)
        .body(equalTo("0123456789abcdefghij"));
    assertEquals(2, origin.calls("/ranges"));
  }

  @Test
  void aPurgeOfTheUrlRemovesItsPartialContent() {
    range("bytes=0-4").then().statusCode(206);
    given().header("Authorization", "Bearer " + TOKEN).param("url", "http://127.0.0.1:" + jetty.port() + "/ranges")
        .post("/_edge/purge").then().statusCode(200).body("purged", equalTo(1));
    range("bytes=0-4").then().statusCode(206).header("X-Call", "2");
    // an unsafe method's success invalidates it too (RFC 9111 §4.4)
    given().post("/ranges").then().statusCode(204);
    range("bytes=0-4").then().statusCode(206).header("X-Call", "4");
  }

  @Test
  void a206ThatDoesNotSayWhichBytesOfWhatItHoldsIsPassedOnButNeverKept() {
    origin.rangesMode = "unknown-length";
    range("bytes=0-4").then().statusCode(206).header("Content-Range", "bytes 0-4/*").body(equalTo("01234"));
    range("bytes=0-4").then().statusCode(206).header("X-Call", "2");
    origin.rangesMode = "lying";
    range("bytes=0-4").then().statusCode(206).header("Cache-Status", startsWith("edgecache; fwd=uri-miss"));
    range("bytes=0-4").then().header("X-Call", "4");
    assertEquals(4, origin.calls("/ranges"));
  }

  @Test
  void aRangeAskedWithCredentialsIsNotKept() {
    given().header("Range", "bytes=0-4").header("Authorization", "Basic YTpi").get("/ranges").then().statusCode(206);
    range("bytes=0-4").then().statusCode(206).header("X-Call", "2");
  }
}
