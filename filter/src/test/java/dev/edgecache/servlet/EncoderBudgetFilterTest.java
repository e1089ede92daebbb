package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code max-encoders}: a fill beyond the budget passes whole and is stored by a later request,
 * and every way a fill ends gives its encoder's place back. With a budget of one, a fill that is
 * stored after another shows that the other's place came back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncoderBudgetFilterTest {
  private static final byte[] TEXT = ContentCodingFilterTest.TEXT;
  private final ContentCodingFilterTest.Origin origin = new ContentCodingFilterTest.Origin();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    jetty = new JettyHarness(origin, null, Map.of("max-encoders", "1"));
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private HttpRequest request(String path, String acceptEncoding) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + path))
        .header("Accept-Encoding", acceptEncoding).build();
  }

  private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    return client.send(request(path, acceptEncoding), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String field(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  /** A br fill of {@code path} is encoded and stored: the next br request is a br hit. */
  private void aFillIsEncodedAndStored(String path) throws Exception {
    HttpResponse<byte[]> fill = get(path, "br");
    assertTrue(!field(fill, "Cache-Status").contains("encoders busy"), field(fill, "Cache-Status"));
    assertArrayEquals(TEXT, fill.body());
    HttpResponse<byte[]> hit = get(path, "br");
    assertTrue(field(hit, "Cache-Status").startsWith("edgecache; hit"), field(hit, "Cache-Status"));
    assertEquals("br", field(hit, "Content-Encoding"));
    assertArrayEquals(TEXT, ContentCodingFilterTest.unbrotli(hit.body()));
  }

  @Test
  void aFillBeyondTheBudgetPassesWholeAndALaterRequestStoresIt() throws Exception {
    origin.gate = new CountDownLatch(1);
    CompletableFuture<HttpResponse<byte[]>> held = client.sendAsync(request("/slow-text", "br"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertTrue(origin.slowTextFlushed.await(20, TimeUnit.SECONDS));

    HttpResponse<byte[]> busy = get("/text", "br");
    assertEquals(200, busy.statusCode());
    assertArrayEquals(TEXT, busy.body(), "the client gets the origin's bytes whole");
    assertTrue(field(busy, "Cache-Status").contains("detail=\"encoders busy\""), field(busy, "Cache-Status"));
    assertTrue(!field(busy, "Cache-Status").contains("stored"), field(busy, "Cache-Status"));
    HttpResponse<byte[]> plain = get("/text", "identity");
    assertNull(plain.headers().firstValue("Content-Encoding").orElse(null), "identity needs no encoder");
    assertTrue(field(plain, "Cache-Status").contains("stored"), field(plain, "Cache-Status"));

    origin.gate.countDown();
    assertArrayEquals(TEXT, held.get(20, TimeUnit.SECONDS).body());
    aFillIsEncodedAndStored("/text");
    assertEquals(3, origin.calls("/text"), "the busy br fill, the identity one, the br one stored");
  }

  @Test
  void aFillThatFailsGivesItsPlaceBack() throws Exception {
    HttpResponse<InputStream> broken = client.send(request("/broken-text", "br"),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = broken.body()) {
      in.readAllBytes();
    } catch (java.io.IOException expected) {
      // broken off, as a failure halfway must be
    }
    aFillIsEncodedAndStored("/text");
  }

  @Test
  void aFillWhoseClientLeavesGivesItsPlaceBackWhenItEnds() throws Exception {
    origin.gate = new CountDownLatch(1);
    CompletableFuture<HttpResponse<InputStream>> leaving = client.sendAsync(request("/slow-text", "br"),
        HttpResponse.BodyHandlers.ofInputStream());
    assertTrue(origin.slowTextFlushed.await(20, TimeUnit.SECONDS));
    leaving.get(20, TimeUnit.SECONDS).body().close(); // the client goes away mid-body
    origin.gate.countDown();
    // the fill goes on without its client; once it has ended, its place is free again
    HttpResponse<byte[]> afterwards = get("/slow-text", "br");
    assertEquals("br", field(afterwards, "Content-Encoding"), field(afterwards, "Cache-Status"));
    assertArrayEquals(TEXT, ContentCodingFilterTest.unbrotli(afterwards.body()));
    aFillIsEncodedAndStored("/text");
  }

  @Test
  void theBudgetMustBeAtLeastOne() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> InitParams.parse(name -> name.equals("max-encoders") ? "0" : null));
    assertTrue(e.getMessage().contains("max-encoders"), e.getMessage());
  }
}
