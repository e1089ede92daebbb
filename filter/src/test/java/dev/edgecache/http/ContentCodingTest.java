package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentCodingTest {
  private static StoredHead head(int status, String... fields) {
    List<StoredHead.Field> out = new java.util.ArrayList<>();
    for (int i = 0; i < fields.length; i += 2) {
      out.add(new StoredHead.Field(fields[i], fields[i + 1]));
    }
    return new StoredHead(status, out);
  }

  @Test
  void whatTheCacheGzipsItself() {
    assertTrue(ContentCoding.gzipsAtEdge(head(200, "content-type", "text/html; charset=utf-8"), -1));
    assertTrue(ContentCoding.gzipsAtEdge(head(200, "content-type", "application/vnd.api+json"), 1000));
    assertTrue(ContentCoding.gzipsAtEdge(head(200, "content-type", "image/svg+xml"), 1000));
    assertTrue(ContentCoding.gzipsAtEdge(head(200, "content-type", "text/css", "content-encoding", "identity"), 1000));
    assertFalse(ContentCoding.gzipsAtEdge(head(200, "content-type", "text/html"), 100), "tiny");
    assertFalse(ContentCoding.gzipsAtEdge(head(200, "content-type", "image/png"), 1000));
    assertFalse(ContentCoding.gzipsAtEdge(head(200), 1000), "no type");
    assertFalse(ContentCoding.gzipsAtEdge(head(200, "content-type", "text/html", "content-encoding", "br"), 1000));
    assertFalse(ContentCoding.gzipsAtEdge(head(200, "content-type", "text/html",
        "cache-control", "max-age=60, no-transform"), 1000));
    assertFalse(ContentCoding.gzipsAtEdge(head(206, "content-type", "text/html"), 1000), "partial");
    assertFalse(ContentCoding.gzipsAtEdge(head(404, "content-type", "text/html"), 1000));
  }

  @Test
  void theHeadsOfEachRepresentation() {
    StoredHead origin = head(200, "content-type", "text/html", "etag", "\"a\"", "vary", "Cookie");
    StoredHead stored = ContentCoding.gzippedHead(origin);
    assertEquals("gzip", stored.first("content-encoding"));
    assertEquals("W/\"a\"", stored.first("etag"));
    assertEquals(List.of("Cookie", "Accept-Encoding"), stored.values("vary"));
    assertTrue(ContentCoding.negotiatedGzip(stored));
    assertFalse(StoredHead.replayed(ContentCoding.EDGE_GZIP), "the cache's note never reaches a client");

    StoredHead decoded = ContentCoding.decodedHead(stored);
    assertNull(decoded.first("content-encoding"));
    assertNull(decoded.first(ContentCoding.EDGE_GZIP));
    assertEquals("W/\"a\"", decoded.first("etag"));

    // a 304 brings the origin's strong tag back: it names the origin's bytes, not the cache's gzip
    StoredHead merged = NotModified.merge(stored, head(304, "etag", "\"a\""));
    assertEquals("W/\"a\"", ContentCoding.afterRevalidation(merged).first("etag"));

    assertEquals(List.of("cookie", ContentCoding.CODING_FIELD),
        ContentCoding.negotiatedRule(List.of("cookie", "accept-encoding")));
    assertTrue(ContentCoding.decodesFor(stored, AcceptEncoding.parse(List.of())));
    assertFalse(ContentCoding.decodesFor(stored, AcceptEncoding.parse(List.of("gzip"))));
    assertFalse(ContentCoding.negotiable(head(200, "content-encoding", "gzip", "cache-control", "no-transform"), -1));
    assertTrue(ContentCoding.negotiable(head(200, "content-encoding", "gzip"), 10));
    assertTrue(ContentCoding.negotiable(head(200, "content-type", "text/css"), -1));
    assertFalse(ContentCoding.negotiable(head(200, "content-type", "text/css"), 100), "too small to gzip");
    assertFalse(ContentCoding.negotiable(head(200, "content-type", "image/png"), 1000), "nothing to negotiate");
    assertFalse(ContentCoding.negotiable(head(200, "content-type", "text/css", "content-encoding", "br"), 1000));
    assertFalse(ContentCoding.negotiatedGzip(head(200, "content-encoding", "gzip")), "only what the cache negotiates");
    assertEquals(List.of("gzip"), ContentCoding.variantOf(AcceptEncoding.parse(List.of("gzip;q=0.2"))));
    assertEquals(List.of(), ContentCoding.variantOf(AcceptEncoding.parse(List.of())));
    // br and zstd, where the cache can make them, for the clients that take them: the cache's
    // order among equal weights, the client's weights before it
    List<String> both = List.of("br", "zstd");
    assertEquals(List.of("br"), variant("gzip, deflate, br, zstd", both));
    assertEquals(List.of("zstd"), variant("gzip, deflate, br, zstd", List.of("zstd")));
    assertEquals(List.of("gzip"), variant("gzip, br, zstd", List.of()));
    assertEquals(List.of("zstd"), variant("gzip, br;q=0.5, zstd", both));
    assertEquals(List.of("gzip"), variant("gzip, br;q=0.5, zstd;q=0.5", both));
    assertEquals(List.of("gzip"), variant("zstd;q=0, br;q=0, gzip", both));
    assertEquals(List.of("zstd"), variant("zstd", both));
    assertEquals(List.of("br"), variant("BR", both), "codings are compared without case");
    assertEquals(List.of("br"), variant("*", both), "* takes every coding alike");
    assertEquals(List.of(), variant("*;q=0, identity", both));
    assertEquals(List.of(), variant("br", List.of("zstd")), "br where the cache cannot make it is identity");
    assertEquals(List.of(), ContentCoding.variantOf(AcceptEncoding.parse(List.of()), both), "no field asks for none");
  }

  private static List<String> variant(String acceptEncoding, List<String> beyondGzip) {
    return ContentCoding.variantOf(AcceptEncoding.parse(List.of(acceptEncoding)), beyondGzip);
  }

  @Test
  void theCodingTheCacheMadeIsReadFromItsMarkAndOnlyGzipIsCutIntoRanges() {
    StoredHead text = head(200, "content-type", "text/html", "etag", "\"v1\"");
    for (String coding : List.of("gzip", "br", "zstd")) {
      StoredHead coded = ContentCoding.codedHead(text, coding);
      assertEquals(coding, ContentCoding.codedAtEdgeIn(coded));
      assertEquals(coding, ContentCoding.coding(coded));
      assertEquals("W/\"v1\"", coded.first("etag"));
      assertEquals(!coding.equals("gzip"), ContentCoding.rangesAnsweredWhole(coded), coding);
    }
    assertNull(ContentCoding.codedAtEdgeIn(text));
    assertFalse(ContentCoding.rangesAnsweredWhole(ContentCoding.negotiatedHead(text)));
  }

  @Test
  void aResponseCannotPlantTheCachesOwnNote() {
    StoredHead planted = StoredHead.storable(200, List.of(new StoredHead.Field(ContentCoding.EDGE_GZIP, "1"),
        new StoredHead.Field("content-type", "text/plain")), java.util.Set.of()).orElseThrow();
    assertNull(planted.first(ContentCoding.EDGE_GZIP));
  }
}
