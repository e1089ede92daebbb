package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import com.github.luben.zstd.Zstd;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cache's own codings: gzip for clients that ask for it, br and zstd where Brotli4j and
 * zstd-jni are on the class path for clients that ask for those, identity for the others; one
 * object per variant.
 */
class ContentCodingFilterTest {
  static final byte[] TEXT = ("<p>" + "edge cache ".repeat(400) + "</p>").getBytes(StandardCharsets.UTF_8);
  private final Origin origin = new Origin();
  private final HttpClient client = HttpClient.newHttpClient(); // decodes nothing by itself
  private JettyHarness jetty;

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    /** Counted down once /slow-text has flushed its first 1000 bytes. */
    final CountDownLatch slowTextFlushed = new CountDownLatch(1);

    int calls(String path) {
      AtomicInteger n = calls.get(path);
      return n == null ? 0 : n.get();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      res.setHeader("Cache-Control", path.equals("/no-transform") ? "max-age=60, no-transform" : "max-age=60");
      res.setHeader("ETag", "\"v1\"");
      switch (path) {
        case "/text", "/no-transform" -> body(res, "text/html; charset=utf-8", TEXT);
        case "/small" -> body(res, "text/plain", "tiny".getBytes(StandardCharsets.UTF_8));
        case "/binary" -> body(res, "application/octet-stream", TEXT);
        case "/origin-gzip" -> {
          res.setHeader("Content-Encoding", "gzip");
          res.setHeader("Vary", "Accept-Encoding");
          body(res, "application/json", gzip(TEXT));
        }
        case "/slow-gzip" -> {
          // an origin that gzips whatever it is asked, slowly
          res.setContentType("text/plain");
          res.setHeader("Content-Encoding", "gzip");
          byte[] zipped = gzip(TEXT);
          res.getOutputStream().write(zipped, 0, 20);
          res.flushBuffer();
          awaitGate();
          res.getOutputStream().write(zipped, 20, zipped.length - 20);
        }
        case "/slow-text" -> {
          res.setContentType("text/plain");
          res.getOutputStream().write(TEXT, 0, 1000);
          res.flushBuffer();
          slowTextFlushed.countDown();
          awaitGate();
          res.getOutputStream().write(TEXT, 1000, TEXT.length - 1000);
        }
        case "/broken-text" -> {
          // half a page, flushed, then a failure: the fill is aborted
          res.setContentType("text/plain");
          res.getOutputStream().write(TEXT, 0, TEXT.length / 2);
          res.flushBuffer();
          throw new IllegalStateException("the origin fails halfway");
        }
        default -> res.sendError(404);
      }
    }

    /** Waits for the test to open the gate; a gate never opened breaks the response, never completes it. */
    private void awaitGate() throws IOException {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IOException("the test never let the origin go on");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    static void body(HttpServletResponse res, String type, byte[] body) throws IOException {
      res.setContentType(type);
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
    }
  }

  @BeforeEach
  void start() throws Exception {
    jetty = new JettyHarness(origin, null, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private HttpResponse<byte[]> get(String path, String... fields) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + path));
    for (int i = 0; i < fields.length; i += 2) {
      b.header(fields[i], fields[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String field(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static boolean variesOnCoding(HttpResponse<?> r) {
    return r.headers().allValues("Vary").stream().anyMatch(v -> v.toLowerCase().contains("accept-encoding"));
  }

  @Test
  void aCompressibleResponseIsKeptGzipForClientsAskingForItAndAsSentForTheOthers() throws Exception {
    HttpResponse<byte[]> first = get("/text", "Accept-Encoding", "gzip, deflate");
    assertArrayEquals(TEXT, first.body(), "the filling client gets the origin's bytes");
    assertTrue(variesOnCoding(first), "and is told the response varies on Accept-Encoding");

    for (String ae : new String[] {"gzip", "deflate;q=1, GZIP;q=0.5", "x-gzip", "br;q=0.4, gzip"}) {
      HttpResponse<byte[]> zipped = get("/text", "Accept-Encoding", ae);
      assertEquals("gzip", field(zipped, "Content-Encoding"), ae);
      assertTrue(field(zipped, "Cache-Status").contains("hit"), field(zipped, "Cache-Status"));
      assertArrayEquals(TEXT, gunzip(zipped.body()));
      assertTrue(zipped.body().length < TEXT.length / 5, "gzip shrinks it: " + zipped.body().length);
      assertEquals("W/\"v1\"", field(zipped, "ETag"), "a body the cache transformed has a weak tag");
      assertEquals(Integer.toString(zipped.body().length), field(zipped, "Content-Length"));
      assertTrue(variesOnCoding(zipped));
    }
    assertEquals(1, origin.calls("/text"), "one object for every client that asks for gzip");

    String[][] identities = {{}, {"Accept-Encoding", "identity"}, {"Accept-Encoding", "deflate"},
        {"Accept-Encoding", "gzip;q=0, deflate"}};
    for (int i = 0; i < identities.length; i++) {
      HttpResponse<byte[]> plain = get("/text", identities[i]);
      assertEquals(200, plain.statusCode());
      assertEquals(null, field(plain, "Content-Encoding"), String.join(" ", identities[i]));
      assertArrayEquals(TEXT, plain.body());
      assertEquals("\"v1\"", field(plain, "ETag"), "the origin's own bytes keep its strong tag");
      assertEquals(i > 0, field(plain, "Cache-Status").contains("hit"), field(plain, "Cache-Status"));
      assertTrue(variesOnCoding(plain));
      assertEquals(Integer.toString(TEXT.length), field(plain, "Content-Length"));
    }
    assertEquals(2, origin.calls("/text"), "and one for every client that does not: two variants for these clients");
  }

  @Test
  void conditionalsAndRangesMatchTheRepresentationServed() throws Exception {
    get("/text", "Accept-Encoding", "gzip");
    assertEquals(304, get("/text", "Accept-Encoding", "gzip", "If-None-Match", "W/\"v1\"").statusCode());
    assertEquals(304, get("/text", "Accept-Encoding", "gzip", "If-None-Match", "\"v1\"").statusCode(),
        "weak comparison (RFC 9110 §13.1.2)");
    // a range is of the origin's bytes, never of the cache's gzip: cut from the decoded body
    HttpResponse<byte[]> part = get("/text", "Accept-Encoding", "gzip", "Range", "bytes=3-12");
    assertEquals(206, part.statusCode());
    assertEquals(null, field(part, "Content-Encoding"));
    assertEquals("bytes 3-12/" + TEXT.length, field(part, "Content-Range"), "the gzip trailer says the length");
    assertArrayEquals(java.util.Arrays.copyOfRange(TEXT, 3, 13), part.body());
    HttpResponse<byte[]> past = get("/text", "Accept-Encoding", "gzip",
        "Range", "bytes=" + (TEXT.length - 5) + "-" + (TEXT.length + 100));
    assertEquals(206, past.statusCode());
    assertEquals("bytes " + (TEXT.length - 5) + "-" + (TEXT.length - 1) + "/" + TEXT.length, field(past, "Content-Range"));
    HttpResponse<byte[]> several = get("/text", "Accept-Encoding", "gzip", "Range", "bytes=0-1,5-6");
    assertEquals(200, several.statusCode(), "several ranges of a decoded body: the whole body");
    assertArrayEquals(TEXT, several.body());
    assertEquals(Integer.toString(TEXT.length), field(several, "Content-Length"));
    assertEquals(1, origin.calls("/text"));
  }

  @Test
  void neverTransformedTinyBinaryNoTransformOrAlreadyCodedResponses() throws Exception {
    for (String path : new String[] {"/small", "/binary", "/no-transform"}) {
      get(path, "Accept-Encoding", "gzip");
      HttpResponse<byte[]> hit = get(path, "Accept-Encoding", "gzip");
      assertEquals(null, field(hit, "Content-Encoding"), path);
      assertEquals("\"v1\"", field(hit, "ETag"), path + " keeps its strong tag");
      assertEquals(1, origin.calls(path), path);
    }
  }

  @Test
  void anOriginsGzipInTheIdentityVariantIsDecodedForItsClients() throws Exception {
    HttpResponse<byte[]> zipped = get("/origin-gzip", "Accept-Encoding", "gzip");
    assertArrayEquals(TEXT, gunzip(zipped.body()));
    HttpResponse<byte[]> hit = get("/origin-gzip", "Accept-Encoding", "gzip");
    assertEquals("gzip", field(hit, "Content-Encoding"));
    assertEquals("\"v1\"", field(hit, "ETag"), "the origin's own bytes keep its strong tag");
    // this origin gzips whatever it is asked: the identity variant holds gzip, decoded for its clients
    HttpResponse<byte[]> filling = get("/origin-gzip");
    assertEquals(null, field(filling, "Content-Encoding"), "its own client is served as its later ones are");
    assertArrayEquals(TEXT, filling.body());
    HttpResponse<byte[]> plain = get("/origin-gzip");
    assertTrue(field(plain, "Cache-Status").contains("hit"));
    assertEquals(null, field(plain, "Content-Encoding"));
    assertArrayEquals(TEXT, plain.body());
    assertEquals("W/\"v1\"", field(plain, "ETag"));
    assertEquals(null, field(plain, "Content-Length"), "an origin's gzip trailer is not trusted for a length");
    assertEquals(2, origin.calls("/origin-gzip"));
  }

  @Test
  void aWaiterStreamsAGzipFillDecoded() throws Exception {
    origin.gate = new CountDownLatch(1);
    var owner = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-gzip");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (int i = 0; i < 500 && origin.calls("/slow-gzip") == 0; i++) {
      Thread.sleep(10);
    }
    var waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-gzip", "Accept-Encoding", "identity");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200); // the waiter queues behind the fill
    origin.gate.countDown();
    HttpResponse<byte[]> o = owner.get(20, TimeUnit.SECONDS);
    assertArrayEquals(TEXT, o.body(), "the owner, which did not ask for gzip, gets it decoded");
    assertEquals(null, field(o, "Content-Encoding"));
    HttpResponse<byte[]> w = waiter.get(20, TimeUnit.SECONDS);
    assertArrayEquals(TEXT, w.body(), "the waiter streams it decoded");
    assertEquals(null, field(w, "Content-Encoding"));
    assertEquals(1, origin.calls("/slow-gzip"));
  }

  @Test
  void waitersOfEitherCodingGetTheirsAndTheFirstBytesComeEarly() throws Exception {
    origin.gate = new CountDownLatch(1);
    var owner = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-text", "Accept-Encoding", "gzip");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (int i = 0; i < 500 && origin.calls("/slow-text") == 0; i++) {
      Thread.sleep(10);
    }
    var zipped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-text", "Accept-Encoding", "gzip");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    var plain = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-text");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    origin.gate.countDown();
    assertArrayEquals(TEXT, owner.get(20, TimeUnit.SECONDS).body());
    HttpResponse<byte[]> z = zipped.get(20, TimeUnit.SECONDS);
    assertEquals("gzip", field(z, "Content-Encoding"));
    assertArrayEquals(TEXT, gunzip(z.body()));
    HttpResponse<byte[]> p = plain.get(20, TimeUnit.SECONDS);
    assertArrayEquals(TEXT, p.body());
    assertEquals(null, field(p, "Content-Encoding"));
    assertTrue(origin.calls("/slow-text") <= 2, "one fill per coding at most");
    HttpResponse<byte[]> later = get("/slow-text", "Accept-Encoding", "gzip");
    assertArrayEquals(TEXT, gunzip(later.body()));
    assertFalse(later.headers().firstValue("Content-Length").isEmpty(), "a complete object knows its length");
  }

  @Test
  void gzipCanBeTurnedOff() throws Exception {
    jetty.close();
    jetty = new JettyHarness(origin, null, Map.of("gzip", "false"));
    get("/text", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> hit = get("/text", "Accept-Encoding", "gzip");
    assertEquals(null, field(hit, "Content-Encoding"));
    assertArrayEquals(TEXT, hit.body());
    assertEquals("\"v1\"", field(hit, "ETag"));
  }

  static byte[] unbrotli(byte[] b) throws IOException {
    DirectDecompress d = Decoder.decompress(b);
    assertEquals(DecoderJNI.Status.DONE, d.getResultStatus(), "a whole Brotli stream");
    return d.getDecompressedData();
  }

  @Test
  void aBrowserGetsTheCachesBrotliAndEveryOtherClientItsOwnVariant() throws Exception {
    assertEquals(List.of("br", "zstd"), EdgeCodings.beyondGzip(), "Brotli4j and zstd-jni are on the test class path");
    String browser = "gzip, deflate, br, zstd";
    HttpResponse<byte[]> fill = get("/text", "Accept-Encoding", browser);
    assertNull(field(fill, "Content-Encoding"), "the filling client gets the origin's bytes");
    assertArrayEquals(TEXT, fill.body());
    HttpResponse<byte[]> hit = get("/text", "Accept-Encoding", browser);
    assertEquals("br", field(hit, "Content-Encoding"));
    assertTrue(field(hit, "Cache-Status").startsWith("edgecache; hit"), field(hit, "Cache-Status"));
    assertEquals("W/\"v1\"", field(hit, "ETag"), "the bytes are the cache's, not the origin's");
    assertTrue(field(hit, "Vary").toLowerCase().contains("accept-encoding"));
    assertArrayEquals(TEXT, unbrotli(hit.body()));
    assertTrue(hit.body().length * 4 < TEXT.length, hit.body().length + " bytes of " + TEXT.length);
    assertEquals(Integer.toString(hit.body().length), field(hit, "Content-Length"));

    get("/text", "Accept-Encoding", "zstd, gzip");
    HttpResponse<byte[]> zstd = get("/text", "Accept-Encoding", "gzip, br;q=0.5, zstd");
    assertEquals("zstd", field(zstd, "Content-Encoding"), "the client's weights first");
    assertArrayEquals(TEXT, Zstd.decompress(zstd.body(), TEXT.length));
    get("/text", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> gzip = get("/text", "Accept-Encoding", "gzip");
    assertEquals("gzip", field(gzip, "Content-Encoding"));
    assertArrayEquals(TEXT, gunzip(gzip.body()));
    HttpResponse<byte[]> plain = get("/text");
    assertArrayEquals(TEXT, plain.body());
    assertNull(field(plain, "Content-Encoding"));
    HttpResponse<byte[]> refused = get("/text", "Accept-Encoding", "br;q=0, zstd;q=0, gzip");
    assertEquals("gzip", field(refused, "Content-Encoding"), "q=0 takes none");
    assertEquals(4, origin.calls("/text"), "four variants, one origin call each");
  }

  /**
   * A client that follows a fill in br or zstd gets what the origin flushed before the origin
   * goes on: the cache's encoder passes the flush on, so the bytes can be decoded at once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"br", "zstd"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a flush held back would block the follower until then
  void aFollowerOfAFillInTheCachesOwnCodingGetsTheFlushedBytesBeforeTheRest(String coding) throws Exception {
    origin.gate = new CountDownLatch(1);
    var filler = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow-text", "Accept-Encoding", coding);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(origin.slowTextFlushed.await(20, TimeUnit.SECONDS));
    HttpResponse<java.io.InputStream> follower = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + "/slow-text"))
        .version(HttpClient.Version.HTTP_1_1).header("Accept-Encoding", coding).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(coding, field(follower, "Content-Encoding"));
    try (java.io.InputStream decoded = decoder(coding, follower.body())) {
      byte[] flushed = decoded.readNBytes(1000);
      assertEquals(1, origin.gate.getCount(), "read while the origin still waits");
      assertArrayEquals(java.util.Arrays.copyOf(TEXT, 1000), flushed);
      origin.gate.countDown();
      assertArrayEquals(java.util.Arrays.copyOfRange(TEXT, 1000, TEXT.length), decoded.readAllBytes());
    }
    assertArrayEquals(TEXT, filler.get(20, TimeUnit.SECONDS).body());
    assertEquals(1, origin.calls("/slow-text"));
  }

  /** A decoder that gives out what it can decode as soon as it can. */
  private static java.io.InputStream decoder(String coding, java.io.InputStream body) throws IOException {
    return coding.equals("br") ? new EagerBrotliInputStream(body) : new com.github.luben.zstd.ZstdInputStream(body);
  }

  @Test
  void aRangeOfABodyTheCacheEncodedInBrotliOrZstdIsAnsweredWhole() throws Exception {
    get("/text", "Accept-Encoding", "br");
    HttpResponse<byte[]> br = get("/text", "Accept-Encoding", "br", "Range", "bytes=0-9");
    assertEquals(200, br.statusCode());
    assertEquals("br", field(br, "Content-Encoding"));
    assertNull(field(br, "Accept-Ranges"));
    assertArrayEquals(TEXT, unbrotli(br.body()));
    get("/text", "Accept-Encoding", "zstd");
    HttpResponse<byte[]> zstd = get("/text", "Accept-Encoding", "zstd", "Range", "bytes=0-9");
    assertEquals(200, zstd.statusCode());
    assertEquals("zstd", field(zstd, "Content-Encoding"));
    assertNull(field(zstd, "Accept-Ranges"));
    assertArrayEquals(TEXT, Zstd.decompress(zstd.body(), TEXT.length));
  }

  @Test
  void notCompressibleOrNoTransformIsNeverEncoded() throws Exception {
    for (String path : new String[] {"/binary", "/no-transform", "/small"}) {
      get(path, "Accept-Encoding", "br, zstd");
      assertNull(field(get(path, "Accept-Encoding", "br, zstd"), "Content-Encoding"), path);
    }
  }
}
