package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restassured.RestAssured;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter's statistics over JMX and Micrometer. */
class FilterStatsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    Metrics.addRegistry(registry);
    jetty = new JettyHarness(new OriginServlet(), null, Map.of("cache-name", "stats-test"));
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = jetty.port();
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    Metrics.removeRegistry(registry);
  }

  @Test
  void everyKnownLabelIsCountedFromZeroBeforeItsFirstEvent() {
    for (String[] meter : new String[][] {{"edgecache.passes", "reason", "method"},
        {"edgecache.passes", "reason", "override"}, {"edgecache.not.stored", "reason", "no_store"},
        {"edgecache.not.stored", "reason", "tags"}, {"edgecache.purges", "kind", "tag"},
        {"edgecache.origin.errors", "kind", "connect"}, {"edgecache.origin.errors", "kind", "protocol"},
        {"edgecache.origin.responses", "class", "5xx"}}) {
      assertEquals(0.0, registry.get(meter[0]).tags("cache", "stats-test", meter[1], meter[2]).functionCounter().count(),
          String.join(" ", meter));
    }
  }

  @Test
  void countersOverJmxAndMicrometer() throws Exception {
    given().post("/fresh"); // sent to the origin, never to fill
    given().get("/fresh");
    given().get("/fresh");
    given().get("/fresh");
    given().get("/private");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names = server.queryNames(new ObjectName("dev.edgecache:type=EdgeCacheFilter,*"), null);
    assertEquals(1, names.size(), names.toString());
    ObjectName name = names.iterator().next();
    assertEquals(2L, server.getAttribute(name, "Hits"));
    assertEquals(2L, server.getAttribute(name, "Misses"));
    assertEquals(1L, server.getAttribute(name, "Stored"));
    assertEquals(2.0, registry.get("edgecache.requests").tags("cache", "stats-test", "outcome", "hit")
        .functionCounter().count());
    assertEquals(3L, server.getAttribute(name, "OriginRequests"));
    assertEquals(2L, server.getAttribute(name, "OriginFills"));
    assertEquals(3.0, registry.get("edgecache.origin.requests").tags("cache", "stats-test")
        .functionCounter().count(), "every request sent to the origin");
    assertEquals(2.0, registry.get("edgecache.origin.fills").tags("cache", "stats-test")
        .functionCounter().count(), "those sent to fill");
    assertEquals(3.0, registry.get("edgecache.origin.responses").tags("cache", "stats-test", "class", "2xx")
        .functionCounter().count() + registry.get("edgecache.origin.responses")
        .tags("cache", "stats-test", "class", "4xx").functionCounter().count());
    jetty.close();
    assertEquals(0, server.queryNames(new ObjectName("dev.edgecache:type=EdgeCacheFilter,*"), null).size(),
        "the MBean leaves with the filter");
  }
}
