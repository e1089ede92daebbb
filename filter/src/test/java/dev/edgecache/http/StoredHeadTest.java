package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stored status and fields, and the request key. */
class StoredHeadTest {
  @Test
  void roundTripsWithoutTheFieldsThatMustNotBeReplayed() {
    StoredHead head = StoredHead.storable(200, List.of(
        new StoredHead.Field("Content-Type", "text/html; charset=utf-8"),
        new StoredHead.Field("Set-Cookie", "session=secret"),
        new StoredHead.Field("Connection", "close"),
        new StoredHead.Field("Surrogate-Key", "a b"),
        new StoredHead.Field("X-User", "ada"),
        new StoredHead.Field("ETag", "\"v1\""),
        new StoredHead.Field("Vary", "accept"),
        new StoredHead.Field("Vary", "accept-language")), Set.of("x-user")).orElseThrow();
    StoredHead back = StoredHead.decode(head.encode()).orElseThrow();
    assertEquals(head, back);
    assertEquals(200, back.status());
    assertEquals("text/html; charset=utf-8", back.first("content-type"));
    assertNull(back.first("set-cookie"));
    assertNull(back.first("connection"));
    assertNull(back.first("surrogate-key"));
    assertNull(back.first("x-user"), "named by a qualified private");
    assertEquals(List.of("accept", "accept-language"), back.values("vary"));
  }

  @Test
  void aValueThatCouldInjectAFieldIsNotStorable() {
    assertTrue(StoredHead.storable(200, List.of(new StoredHead.Field("X-A", "a\r\nSet-Cookie: x")), Set.of()).isEmpty());
    assertTrue(StoredHead.storable(200, List.of(new StoredHead.Field("X-A\n", "a")), Set.of()).isEmpty());
    assertTrue(StoredHead.storable(200, List.of(new StoredHead.Field("X-A", "a\u0000")), Set.of()).isEmpty());
  }

  @Test
  void decodingGarbageGivesNothing() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      StoredHead.decode(junk); // never throws
    }
    byte[] good = new StoredHead(200, List.of(new StoredHead.Field("a", "b"))).encode();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertTrue(StoredHead.decode(truncated).isEmpty());
    assertTrue(StoredHead.decode(new byte[0]).isEmpty());
  }

  @Test
  void requestKeysAreUnambiguous() {
    RequestKey a = new RequestKey("http", "Example.COM", 80, "/a", "b=1");
    assertEquals("http://example.com/a?b=1", a.text());
    assertEquals(a.cacheKey(), new RequestKey("HTTP", "example.com", -1, "/a", "b=1").cacheKey());
    assertNotEquals(a.cacheKey(), new RequestKey("http", "example.com", 8080, "/a", "b=1").cacheKey());
    assertNotEquals(a.cacheKey(), new RequestKey("https", "example.com", 443, "/a", "b=1").cacheKey());
    assertNotEquals(new RequestKey("http", "h", 80, "/a", null).cacheKey(),
        new RequestKey("http", "h", 80, "/a", "").cacheKey(), "no query is not an empty query");
    assertNotEquals(new RequestKey("http", "h", 80, "/a?b", null).cacheKey(),
        new RequestKey("http", "h", 80, "/a", "b").cacheKey(), "a '?' in the path is not a query");
    assertEquals("https://h:8443/x", new RequestKey("https", "h", 8443, "/x", null).text());
  }
}
