package dev.edgecache.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.testing.HostileOrigin;
import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable edge in front of an origin scripted by the query: every client gets a
 * representation it asked for, with fields that describe the bytes that follow them.
 */
class EdgeRepresentationTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private static final HostileOrigin ORIGIN = new HostileOrigin();
  private static TestOrigin origin;
  private static EdgeProcess edge;

  @BeforeAll
  static void start() throws Exception {
    origin = new TestOrigin(ORIGIN, 64 * 1024); // an origin that writes heads larger than the edge passes on
    edge = new EdgeProcess("--origin", origin.url(), "--admin-token", TOKEN);
  }

  @AfterAll
  static void stop() {
    edge.close();
    origin.close();
  }

  /** A request whose body and codings REST Assured leaves as the edge sent them. */
  private static RequestSpecification given() {
    // Host: localhost, as the purge's URL says (whatever base URI another test left set)
    return RestAssured.given().baseUri("http://localhost").port(edge.port()).urlEncodingEnabled(false)
        .config(RestAssuredConfig.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()));
  }

  private static byte[] gunzip(byte[] b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  private static long ttl(Response r) {
    Matcher m = Pattern.compile("ttl=(-?\\d+)").matcher(r.header("Cache-Status"));
    assertTrue(m.find(), "a ttl: " + r.header("Cache-Status"));
    return Long.parseLong(m.group(1));
  }

  @Test
  void aCodingTheEdgeHasNoNameForNeverReachesAClientThatDidNotListIt() throws Exception {
    String path = "/coded?cc=max-age%3D60&vary=Accept-Encoding&coding=compress&gzip=1";
    Response odd = given().header("Accept-Encoding", "compress, gzip").get(path);
    assertEquals("compress", odd.header("Content-Encoding"));
    for (int i = 0; i < 2; i++) {
      Response r = given().header("Accept-Encoding", "gzip").get(path);
      assertEquals("gzip", r.header("Content-Encoding"), r.header("Cache-Status"));
      assertTrue(new String(gunzip(r.asByteArray())).startsWith("n="), "gzip a gzip client can read");
    }
    assertEquals(2, ORIGIN.calls("/coded"), "the gzip answer is stored and hit");
  }

  @Test
  void clientsThatRefuseGzipGetItDecodedBeforeAndAfterARevalidation() throws Exception {
    String path = "/always-gzip?cc=max-age%3D0&etag=g1&gzip=1";
    for (int i = 0; i < 3; i++) {
      Response r = given().header("Accept-Encoding", "identity").get(path);
      assertEquals(200, r.statusCode());
      assertNull(r.header("Content-Encoding"), i + ": " + r.header("Cache-Status"));
      assertTrue(r.asString().startsWith("n=1 "), i + ": " + r.asString());
      assertEquals(i > 0, r.header("Cache-Status").contains("fwd-status=304"), r.header("Cache-Status"));
    }
    Response head = given().header("Accept-Encoding", "identity").head(path);
    String length = head.header("Content-Length");
    assertTrue(length == null || Integer.parseInt(length) > 0, "a HEAD never says a length its GET lacks: " + length);
  }

  @Test
  void theEdgesOwn304SaysNoLengthAndAResponseJustRevalidatedItsNewAge() {
    String fresh = "/fresh-304?cc=max-age%3D60&etag=f1";
    given().get(fresh).then().statusCode(200);
    Response notModified = given().header("If-None-Match", "\"f1\"").get(fresh);
    assertEquals(304, notModified.statusCode());
    assertNull(notModified.header("Content-Length"), "RFC 9110 §8.6");

    String aged = "/aged?cc=max-age%3D0&etag=a1&age=100";
    assertEquals("100", given().get(aged).header("Age"));
    Response revalidated = given().get(aged);
    assertTrue(revalidated.header("Cache-Status").contains("fwd-status=304"), revalidated.header("Cache-Status"));
    assertTrue(Integer.parseInt(revalidated.header("Age")) < 100, "its age counts from the 304: "
        + revalidated.header("Age"));
  }

  @Test
  void anObjectServedStaleAfterASoftPurgeHasNoFreshnessLeft() {
    String path = "/soft?cc=max-age%3D60,stale-while-revalidate%3D60";
    given().get(path);
    assertTrue(ttl(given().get(path)) > 50);
    given().header("Authorization", "Bearer " + TOKEN)
        .param("url", java.net.URLEncoder.encode("http://localhost:" + edge.port() + path,
            java.nio.charset.StandardCharsets.UTF_8))
        .param("soft", "true").post("/_edge/purge").then().statusCode(200).body("purged", org.hamcrest.Matchers.equalTo(1));
    Response stale = given().get(path);
    assertTrue(stale.header("Cache-Status").contains("fwd=stale"), stale.header("Cache-Status"));
    assertTrue(ttl(stale) <= 0, stale.header("Cache-Status"));
  }

  @Test
  void anOriginHeadTheEdgeCannotPassOnIsA502AndNeverStored() {
    for (int pad : new int[] {20_000, 40_000}) {
      String path = "/padded-" + pad + "?cc=max-age%3D60&pad=" + pad;
      for (int i = 1; i <= 2; i++) {
        Response r = given().get(path);
        assertEquals(502, r.statusCode(), pad + ": " + r.header("Cache-Status"));
        assertFalse(String.valueOf(r.header("Cache-Status")).contains("hit"), r.header("Cache-Status"));
      }
      assertEquals(2, ORIGIN.calls("/padded-" + pad), "nothing was stored");
    }
    String large = "/padded-12000?cc=max-age%3D60&pad=12000";
    given().get(large).then().statusCode(200);
    // the proxy's fill may end just after its client has the answer: a request then joins it,
    // and the one after that is a hit; either way the origin is asked once
    String status = "";
    for (int i = 0; i < 3 && !status.contains("hit"); i++) {
      status = String.valueOf(given().get(large).header("Cache-Status"));
    }
    assertTrue(status.contains("hit"), "a large head that fits passes: " + status);
    assertEquals(1, ORIGIN.calls("/padded-12000"), "and is stored: " + status);
  }
}
