package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A 304 merged into the stored response (RFC 9111 §4.3.4), and what unsafe methods invalidate (§4.4). */
class NotModifiedAndInvalidationTest {
  private static final RequestKey TARGET = new RequestKey("http", "shop.example", 80, "/cart", null);

  @Test
  void aNotModifiedReplacesTheFieldsItCarriesButNotTheBodysOwn() {
    StoredHead stored = new StoredHead(200, List.of(new StoredHead.Field("content-type", "text/html"),
        new StoredHead.Field("cache-control", "max-age=1"), new StoredHead.Field("x-old", "1"),
        new StoredHead.Field("etag", "\"a\""), new StoredHead.Field("content-encoding", "gzip")));
    StoredHead notModified = new StoredHead(304, List.of(new StoredHead.Field("cache-control", "max-age=60"),
        new StoredHead.Field("content-type", "text/plain"), new StoredHead.Field("content-length", "0"),
        new StoredHead.Field("content-encoding", "br"),
        new StoredHead.Field("x-new", "2")));
    StoredHead merged = NotModified.merge(stored, notModified);
    assertEquals(200, merged.status());
    assertEquals(List.of("max-age=60"), merged.values("cache-control"));
    assertEquals(List.of("text/html"), merged.values("content-type"));
    assertEquals(List.of(), merged.values("content-length"));
    assertEquals(List.of("gzip"), merged.values("content-encoding"), "the stored body's coding is what it is");
    assertEquals("1", merged.first("x-old"));
    assertEquals("2", merged.first("x-new"));
    assertEquals("\"a\"", merged.first("etag"));
  }

  @Test
  void anUnsafeMethodInvalidatesItsTargetAndSameOriginLocations() {
    assertEquals(List.of(TARGET, new RequestKey("http", "shop.example", 80, "/orders/7", null),
        new RequestKey("http", "shop.example", 80, "/cart", "v=2")),
        Invalidation.targets("POST", TARGET, 201, "/orders/7", "http://shop.example/cart?v=2"));
  }

  @Test
  void otherOriginsSafeMethodsAndErrorsInvalidateNothingElse() {
    assertEquals(List.of(TARGET), Invalidation.targets("DELETE", TARGET, 204,
        "http://other.example/cart", "https://shop.example/cart"));
    assertEquals(List.of(TARGET), Invalidation.targets("PUT", TARGET, 200, "http://shop.example:8080/x", null));
    assertEquals(List.of(), Invalidation.targets("OPTIONS", TARGET, 200, "/orders/7", null));
    assertEquals(List.of(), Invalidation.targets("PROPFIND", TARGET, 207, null, null));
    assertEquals(List.of(), Invalidation.targets("POST", TARGET, 500, "/orders/7", null));
    assertEquals(List.of(), Invalidation.targets("POST", TARGET, 404, null, null));
  }
}
