package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgecache.EdgeCache;
import dev.edgecache.FailingStorage;
import dev.edgecache.store.memory.MemoryStorage;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fails under the filter (a cluster that went away, a chunk gone): the client still
 * gets its page, from the origin, and never an error of the store's.
 */
class StoreFailureServingTest {
  private final OriginServlet origin = new OriginServlet();
  private FailingStorage storage;
  private EdgeCache cache;
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    storage = new FailingStorage(MemoryStorage.builder().build());
    cache = EdgeCache.builder().storage(storage, true).build();
    jetty = new JettyHarness(origin, new EdgeCacheFilter(cache, FilterSettings.DEFAULT), Map.of());
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    cache.close();
  }

  @Test
  void aStoredBodyThatCannotBeReadIsAnsweredByTheOrigin() {
    given().get("/fresh").then().body(equalTo("fresh 1"));
    given().get("/fresh").then().body(equalTo("fresh 1")).header("Cache-Status", containsString("hit"));
    storage.failBodies = true;
    given().get("/fresh").then().statusCode(200).body(equalTo("fresh 2"))
        .header("Cache-Status", containsString("stored body unreadable"));
    assertEquals(2, origin.calls("/fresh"));
  }

  @Test
  void aFillWhoseStoreFailsUnderItStillAnswersItsOwnClient() {
    storage.failBodies = true;
    // The fill's client is served from the object being written, which the store refuses:
    // nothing reached the client yet, so the origin answers it again, uncached.
    given().get("/digits").then().statusCode(200).body(equalTo("0123456789"))
        .header("Cache-Status", containsString("fwd=uri-miss"))
        .header("Cache-Status", containsString("detail=\"store failed\""));
    given().get("/fresh").then().statusCode(200).body(equalTo("fresh 2"));
  }
}
