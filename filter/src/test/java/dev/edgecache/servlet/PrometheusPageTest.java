package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In a WAR with Micrometer's Prometheus registry in {@code WEB-INF/lib} and no code of its own,
 * the metrics page works: the filter makes the registry, with the JVM's meters, and takes it away
 * when it is destroyed.
 */
class PrometheusPageTest {
  private static final String TOKEN = "0123456789abcdef-token";

  @Test
  void theFilterMakesAPrometheusRegistryWhenTheApplicationHasNone() throws Exception {
    assertTrue(Metrics.globalRegistry.getRegistries().stream().noneMatch(r -> r instanceof PrometheusMeterRegistry));
    JettyHarness jetty = new JettyHarness(new OriginServlet(), null, Map.of("admin-token", TOKEN, "cache-name", "war"));
    try {
      RestAssured.baseURI = "http://127.0.0.1";
      RestAssured.port = jetty.port();
      given().get("/fresh").then().statusCode(200);
      String text = given().header("Authorization", "Bearer " + TOKEN).get("/_edge/metrics").then().statusCode(200)
          .extract().asString();
      assertTrue(text.contains("edgecache_build_info{cache=\"war\",version=\""), text);
      assertTrue(text.contains("edgecache_origin_requests_total{cache=\"war\"} 1.0"), text);
      assertTrue(text.contains("edgecache_store_capacity_bytes{cache=\"war\"}"), text);
      assertTrue(text.contains("jvm_memory_used_bytes{"), "the JVM's meters: " + text);
      assertTrue(text.contains("process_uptime_seconds"), text);
      assertTrue(text.contains("edgecache_passes_total{cache=\"war\",reason=\"method\"} 0.0"), "labels from 0: " + text);
    } finally {
      jetty.close();
    }
    assertTrue(Metrics.globalRegistry.getRegistries().stream().noneMatch(r -> r instanceof PrometheusMeterRegistry),
        "the registry the filter made leaves with it");
  }
}
