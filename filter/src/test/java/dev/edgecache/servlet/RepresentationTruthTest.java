package dev.edgecache.servlet;

import static dev.edgecache.servlet.ContentCodingFilterTest.TEXT;
import static dev.edgecache.servlet.ContentCodingFilterTest.gunzip;
import static dev.edgecache.servlet.ContentCodingFilterTest.Origin.body;
import static dev.edgecache.servlet.ContentCodingFilterTest.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every representation the cache serves is the one the client asked for, and its fields describe
 * the bytes that follow them: content-coding variants, revalidation by a 304, the cache's own 304s
 * and HEADs, digests, {@code Age} and {@code Cache-Status}'s {@code ttl}.
 */
class RepresentationTruthTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private static final byte[] COMPRESSED = "a body in the compress coding".getBytes(StandardCharsets.US_ASCII);
  private final Origin origin = new Origin();
  private final HttpClient client = HttpClient.newHttpClient(); // decodes nothing by itself
  private JettyHarness jetty;

  /**
   * {@code /always-gzip}: gzips whatever it is asked, and revalidates at every request
   * ({@code max-age=0}, an ETag); {@code /revalidated}: compressible, uncoded, with digests, the
   * same freshness, and an {@code Age} on its 200s; {@code /coded}: varies on
   * {@code Accept-Encoding} and answers {@code compress} to those who list it; {@code /fresh}:
   * fresh for a minute, stale-while-revalidate for another.
   */
  static final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    int calls(String path) {
      AtomicInteger n = calls.get(path);
      return n == null ? 0 : n.get();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getRequestURI();
      calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String inm = req.getHeader("If-None-Match");
      switch (path) {
        case "/always-gzip" -> {
          res.setHeader("Cache-Control", "max-age=0");
          res.setHeader("ETag", "\"g1\"");
          if (inm != null && inm.contains("\"g1\"")) {
            res.setStatus(304);
            return;
          }
          res.setHeader("Content-Encoding", "gzip");
          res.setHeader("Content-Digest", "sha-256=:Z3ppcA==:");
          body(res, "text/plain", gzip(TEXT));
        }
        case "/revalidated" -> {
          res.setHeader("Cache-Control", "max-age=0");
          res.setHeader("ETag", "\"r1\"");
          if (inm != null && inm.contains("\"r1\"")) {
            res.setStatus(304);
            return;
          }
          res.setHeader("Age", "100");
          res.setHeader("Content-MD5", "bWQ1");
          res.setHeader("Content-Digest", "sha-256=:aWRlbnRpdHk=:");
          res.setHeader("Repr-Digest", "sha-256=:aWRlbnRpdHk=:");
          body(res, "text/html", TEXT);
        }
        case "/coded" -> {
          res.setHeader("Cache-Control", "max-age=60");
          res.setHeader("Vary", "Accept-Encoding");
          String ae = req.getHeader("Accept-Encoding");
          if (ae != null && ae.contains("compress")) {
            res.setHeader("Content-Encoding", "compress");
            body(res, "application/octet-stream", COMPRESSED);
          } else {
            res.setHeader("Content-Encoding", "gzip");
            body(res, "application/octet-stream", gzip(TEXT));
          }
        }
        case "/fresh" -> {
          res.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=60");
          res.setHeader("ETag", "\"f1\"");
          body(res, "text/plain", TEXT);
        }
        default -> res.sendError(404);
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    jetty = new JettyHarness(origin, null, Map.of("admin-token", TOKEN));
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
  }

  private HttpResponse<byte[]> send(String method, String path, String... fields) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jetty.url(path)))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < fields.length; i += 2) {
      b.header(fields[i], fields[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(String path, String... fields) throws Exception {
    return send("GET", path, fields);
  }

  private static String field(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static long ttl(HttpResponse<?> r) {
    Matcher m = Pattern.compile("ttl=(-?\\d+)").matcher(field(r, "Cache-Status"));
    assertTrue(m.find(), "a ttl: " + field(r, "Cache-Status"));
    return Long.parseLong(m.group(1));
  }

  @Test
  void aCodingTheVariantKeyCannotTellApartIsNeverStored() throws Exception {
    HttpResponse<byte[]> odd = get("/coded", "Accept-Encoding", "compress, gzip");
    assertEquals("compress", field(odd, "Content-Encoding"));
    assertTrue(field(odd, "Cache-Status").contains("detail=\"coding\""), field(odd, "Cache-Status"));
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> plain = get("/coded", "Accept-Encoding", "gzip");
      assertEquals("gzip", field(plain, "Content-Encoding"), "a gzip client never gets compress");
      assertArrayEquals(TEXT, gunzip(plain.body()));
    }
    assertEquals(2, origin.calls("/coded"), "the gzip response is stored and hit");
  }

  @Test
  void theFillsOwnClientIsServedByTheSameRuleAsEveryLaterOne() throws Exception {
    for (String[] identity : new String[][] {{"Accept-Encoding", "identity"}, {}}) {
      jetty.close();
      jetty = new JettyHarness(origin, null, Map.of());
      HttpResponse<byte[]> filling = get("/always-gzip", identity);
      assertNull(field(filling, "Content-Encoding"), "a client that refused gzip gets none");
      assertArrayEquals(TEXT, filling.body());
      assertEquals("W/\"g1\"", field(filling, "ETag"), "decoded bytes are not the origin's");
      assertNull(field(filling, "Content-Digest"), "nor is their digest");
      assertTrue(field(filling, "Cache-Status").contains("stored"), field(filling, "Cache-Status"));
    }
  }

  @Test
  void aRevalidationKeepsEveryClientsCoding() throws Exception {
    get("/always-gzip", "Accept-Encoding", "identity");
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> again = get("/always-gzip", "Accept-Encoding", "identity");
      assertTrue(field(again, "Cache-Status").contains("fwd-status=304"), field(again, "Cache-Status"));
      assertNull(field(again, "Content-Encoding"), "still decoded after a 304");
      assertArrayEquals(TEXT, again.body());
    }
    HttpResponse<byte[]> zipped = get("/always-gzip", "Accept-Encoding", "gzip");
    assertEquals("gzip", field(zipped, "Content-Encoding"));
    assertArrayEquals(TEXT, gunzip(zipped.body()));
    assertEquals("sha-256=:Z3ppcA==:", field(zipped, "Content-Digest"), "the origin's bytes keep their digest");
  }

  @Test
  void rangesOfABodyTheCacheGzippedStayOffsetsOfTheOriginsBytesAfterARevalidation() throws Exception {
    get("/revalidated", "Accept-Encoding", "gzip");
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> part = get("/revalidated", "Accept-Encoding", "gzip", "Range", "bytes=3-12");
      assertTrue(field(part, "Cache-Status").contains("fwd-status=304"), field(part, "Cache-Status"));
      assertEquals(206, part.statusCode());
      assertEquals("bytes 3-12/" + TEXT.length, field(part, "Content-Range"));
      assertArrayEquals(Arrays.copyOfRange(TEXT, 3, 13), part.body());
    }
    HttpResponse<byte[]> whole = get("/revalidated", "Accept-Encoding", "gzip");
    assertEquals("gzip", field(whole, "Content-Encoding"));
    assertEquals("W/\"r1\"", field(whole, "ETag"));
    assertArrayEquals(TEXT, gunzip(whole.body()));
  }

  @Test
  void aBodyTheCacheGzippedCarriesNoDigestOfTheOriginsBytes() throws Exception {
    HttpResponse<byte[]> filling = get("/revalidated", "Accept-Encoding", "gzip");
    assertEquals("sha-256=:aWRlbnRpdHk=:", field(filling, "Content-Digest"), "its client gets the origin's bytes");
    HttpResponse<byte[]> zipped = get("/revalidated", "Accept-Encoding", "gzip");
    assertEquals("gzip", field(zipped, "Content-Encoding"));
    for (String digest : new String[] {"Content-MD5", "Content-Digest", "Repr-Digest"}) {
      assertNull(field(zipped, digest), digest + " describes other bytes");
    }
  }

  @Test
  void theCachesOwn304SaysNoLength() throws Exception {
    // a cold one, answered from the fill, then two from the object
    for (HttpResponse<byte[]> r : java.util.List.of(get("/fresh", "If-None-Match", "\"f1\""),
        get("/fresh", "If-None-Match", "\"f1\""), get("/fresh", "If-None-Match", "*"))) {
      assertEquals(304, r.statusCode(), field(r, "Cache-Status"));
      assertNull(field(r, "Content-Length"), "a 304's Content-Length could only be the 200's (RFC 9110 §8.6)");
    }
  }

  @Test
  void aHeadOfTheDecodedVariantSaysNoLengthItsGetDoesNotHave() throws Exception {
    get("/always-gzip", "Accept-Encoding", "identity");
    HttpResponse<byte[]> head = send("HEAD", "/always-gzip", "Accept-Encoding", "identity");
    HttpResponse<byte[]> full = get("/always-gzip", "Accept-Encoding", "identity");
    assertNull(field(head, "Content-Encoding"));
    String length = field(head, "Content-Length");
    assertTrue(length == null || length.equals(Integer.toString(full.body().length)),
        "the HEAD's length is its GET's or none: " + length);
    assertArrayEquals(TEXT, full.body());
  }

  @Test
  void aResponseAnsweredAfterA304CountsItsAgeFromTheValidation() throws Exception {
    HttpResponse<byte[]> filling = get("/revalidated");
    assertEquals("100", field(filling, "Age"));
    HttpResponse<byte[]> revalidated = get("/revalidated");
    assertTrue(field(revalidated, "Cache-Status").contains("fwd-status=304"), field(revalidated, "Cache-Status"));
    assertTrue(Long.parseLong(field(revalidated, "Age")) < 100, "Age counts from the 304: " + field(revalidated, "Age"));
    assertTrue(ttl(revalidated) <= 0, "max-age=0 leaves no freshness: " + field(revalidated, "Cache-Status"));
  }

  @Test
  void anObjectServedStaleAfterASoftPurgeSaysItsFreshnessIsSpent() throws Exception {
    get("/fresh");
    HttpResponse<byte[]> hit = get("/fresh");
    assertTrue(ttl(hit) > 50, field(hit, "Cache-Status"));
    HttpResponse<String> purge = client.send(HttpRequest.newBuilder(URI.create(jetty.url("/_edge/purge")))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("soft=true&url=" + jetty.url("/fresh"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, purge.statusCode(), purge.body());
    HttpResponse<byte[]> stale = get("/fresh");
    assertTrue(field(stale, "Cache-Status").contains("fwd=stale"), field(stale, "Cache-Status"));
    assertTrue(ttl(stale) <= 0, "a stale object has no freshness left: " + field(stale, "Cache-Status"));
  }
}
