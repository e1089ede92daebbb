package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
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

/** A span per request, with the cache outcome, the lock wait and the origin fetch as a child. */
class FilterTracingTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OriginServlet origin = new OriginServlet();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build());
    jetty = JettyHarness.forRestAssured(origin, Map.of("admin-token", TOKEN));
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    GlobalOpenTelemetry.resetForTest();
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static String outcome(SpanData span) {
    return span.getAttributes().get(OpenTelemetryTracing.OUTCOME);
  }

  @Test
  void aMissHasTheOriginFetchAsAChildAndAHitHasNone() {
    given().get("/fresh").then().body(equalTo("fresh 1"));
    given().get("/fresh").then().body(equalTo("fresh 1"));
    dev.edgecache.Waits.until(() -> named("edgecache GET").size() == 2, "both requests' spans ended");
    List<SpanData> requests = named("edgecache GET");
    SpanData miss = requests.get(0);
    SpanData hit = requests.get(1);
    assertEquals("miss", outcome(miss));
    assertEquals("hit", outcome(hit));
    assertEquals("/fresh", miss.getAttributes().get(OpenTelemetryTracing.PATH));
    List<SpanData> fetches = named("edgecache origin");
    assertEquals(1, fetches.size(), "one origin fetch, the miss's");
    assertEquals(miss.getSpanId(), fetches.get(0).getParentSpanId());
    assertEquals(miss.getTraceId(), fetches.get(0).getTraceId());
    assertNull(hit.getAttributes().get(OpenTelemetryTracing.LOCK_WAIT));
  }

  @Test
  void aRequestThatWaitedForAnothersFillSaysHowLong() throws Exception {
    origin.slowGate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> owner = pool.submit(() -> given().get("/gated").asString());
      dev.edgecache.Waits.until(() -> origin.calls("/gated") == 1, "the owner reached the origin");
      Future<String> waiter = pool.submit(() -> given().get("/gated").asString());
      dev.edgecache.Waits.until(() -> waiters() == 1, "the second request waits");
      origin.slowGate.countDown();
      assertEquals("gated 1", owner.get(10, TimeUnit.SECONDS));
      assertEquals("gated 1", waiter.get(10, TimeUnit.SECONDS));
    } finally {
      origin.slowGate.countDown();
      pool.shutdownNow();
    }
    dev.edgecache.Waits.until(() -> named("edgecache GET").size() == 2, "both requests' spans ended");
    List<SpanData> waited = named("edgecache GET").stream()
        .filter(s -> s.getAttributes().get(OpenTelemetryTracing.LOCK_WAIT) != null).toList();
    assertEquals(1, waited.size(), named("edgecache GET").toString());
    assertTrue(waited.get(0).getAttributes().get(OpenTelemetryTracing.LOCK_WAIT) >= 0);
    assertNotNull(outcome(waited.get(0)));
    assertEquals(1, named("edgecache origin").size());
  }

  private static int waiters() {
    return given().header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().extract()
        .path("activity.waiters");
  }

  @Test
  void aPassHasItsFetchToo() {
    given().get("/private").then().statusCode(200);
    dev.edgecache.Waits.until(() -> named("edgecache GET").size() == 1, "the span ended");
    assertEquals("miss", outcome(named("edgecache GET").get(0)));
    assertEquals(1, named("edgecache origin").size());
    List<String> all = new ArrayList<>();
    spans.getFinishedSpanItems().forEach(s -> all.add(s.getName()));
    assertEquals(2, all.size(), all.toString());
  }
}
