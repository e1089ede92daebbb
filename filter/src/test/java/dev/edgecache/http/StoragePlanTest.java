package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The storage decision for one response, and the write options it stores with (RFC 9111 §3, §4.2). */
class StoragePlanTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final StorePolicy.Request GET = new StorePolicy.Request("GET", CacheControl.EMPTY, false, false);
  private static final StoragePlan.Rules RULES = new StoragePlan.Rules(false, Duration.ofSeconds(10),
      Duration.ZERO, Duration.ZERO, Duration.ofDays(1), null, List.of());

  private static StoredHead head(int status, String... nameValues) {
    List<StoredHead.Field> fields = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      fields.add(new StoredHead.Field(nameValues[i], nameValues[i + 1]));
    }
    fields.add(new StoredHead.Field("date", HttpDates.format(NOW)));
    return new StoredHead(status, fields);
  }

  private static StoragePlan plan(StoredHead response) {
    return StoragePlan.of(GET, response, RULES, NOW, NOW);
  }

  @Test
  void aFreshResponseIsStoredWithItsLifetimeLengthAndTags() {
    StoragePlan p = plan(head(200, "cache-control", "max-age=60", "content-length", "12",
        "surrogate-key", "a b  c", "content-type", "text/plain"));
    assertTrue(p.stores());
    WriteOptions o = p.options();
    assertEquals(Duration.ofSeconds(60), o.maxAge());
    assertEquals(OptionalLong.of(12), o.length());
    assertEquals(java.util.Set.of("a", "b", "c"), o.surrogateKeys());
    assertNull(p.head().first("content-length"), "lengths are the body's, not the head's");
    assertNull(p.head().first("surrogate-key"));
    assertEquals("text/plain", p.head().first("content-type"));
  }

  @Test
  void nothingALaterRequestCouldUseIsNotStored() {
    assertEquals(StorePolicy.Decision.LIFETIME, plan(head(200, "content-type", "text/plain")).decision());
    // never fresh (Age past max-age) and no validator
    assertEquals(StorePolicy.Decision.LIFETIME, plan(head(200, "cache-control", "max-age=1", "age", "5")).decision());
    // with a validator it is kept, to be revalidated
    assertTrue(plan(head(200, "cache-control", "max-age=1", "age", "5", "etag", "\"v\"")).stores());
  }

  @Test
  void staleWindowsAndKeepStaleFollowWhatTheResponseForbids() {
    StoragePlan.Rules generous = new StoragePlan.Rules(false, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(300), Duration.ofDays(1), null, List.of());
    WriteOptions plain = StoragePlan.of(GET, head(200, "cache-control", "max-age=5"), generous, NOW, NOW).options();
    assertEquals(Duration.ofSeconds(30), plain.staleWhileRevalidate());
    assertEquals(Duration.ofSeconds(300), plain.staleIfError());
    assertEquals(Duration.ofDays(1), plain.keepStale(), "kept for when the origin cannot be reached");
    for (String cc : List.of("max-age=5, must-revalidate", "max-age=5, proxy-revalidate", "s-maxage=5")) {
      WriteOptions o = StoragePlan.of(GET, head(200, "cache-control", cc), generous, NOW, NOW).options();
      assertEquals(Duration.ZERO, o.staleWhileRevalidate(), cc);
      assertEquals(Duration.ZERO, o.staleIfError(), cc);
      assertEquals(Duration.ZERO, o.keepStale(), cc + ": no validator, and stale forbidden");
    }
    WriteOptions error = StoragePlan.of(GET, head(503, "cache-control", "max-age=600"), generous, NOW, NOW).options();
    assertEquals(Duration.ofSeconds(10), error.maxAge(), "a transient error is capped at error-max-age");
    assertEquals(Duration.ZERO, error.keepStale());
  }

  @Test
  void fieldsNamedByQualifiedNoCacheOrPrivateAreLeftOut() {
    // A shared cache treats a qualified no-cache as the plain one (revalidate each time), so this
    // one is kept only for its validator.
    StoragePlan p = plan(head(200, "cache-control", "max-age=60, no-cache=\"x-secret\", private=\"x-user\"",
        "x-secret", "s", "x-user", "u", "x-public", "p", "etag", "\"v\""));
    assertTrue(p.stores());
    assertEquals(Duration.ZERO, p.options().maxAge());
    assertNull(p.head().first("x-secret"));
    assertNull(p.head().first("x-user"));
    assertEquals("p", p.head().first("x-public"));
  }

  @Test
  void aValueThatCouldInjectAFieldIsNeverStored() {
    assertEquals(StorePolicy.Decision.FIELD_VALUE, plan(head(200, "cache-control", "max-age=60",
        "x-evil", "a\r\nSet-Cookie: s=1")).decision());
  }

  @Test
  void aCodingTheVariantKeyCannotTellApartIsNotStored() {
    // RFC 9111 §4.1: the key of Accept-Encoding keeps only the codings it knows, so a response in
    // another one would reach requests of its variant that need not take it
    for (String coding : new String[] {"compress", "aes128gcm", "dcz", "gzip, compress"}) {
      assertEquals(StorePolicy.Decision.CODING, plan(head(200, "cache-control", "max-age=60",
          "vary", "Accept-Encoding", "content-encoding", coding)).decision(), coding);
    }
    for (String coding : new String[] {"gzip", "br", "zstd", "deflate", "x-gzip", "identity", "gzip, br"}) {
      assertTrue(plan(head(200, "cache-control", "max-age=60", "vary", "accept-encoding",
          "content-encoding", coding)).stores(), coding);
    }
    // without Vary the origin serves it to everyone, as it said
    assertTrue(plan(head(200, "cache-control", "max-age=60", "content-encoding", "compress")).stores());
    StoragePlan.Rules keyed = new StoragePlan.Rules(false, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO,
        Duration.ofDays(1), null, List.of("Accept-Encoding"));
    assertEquals(StorePolicy.Decision.CODING, StoragePlan.of(GET, head(200, "cache-control", "max-age=60",
        "content-encoding", "compress"), keyed, NOW, NOW).decision(), "the deployment's key counts as Vary");
  }

  @Test
  void aPlanKeepsTheCachesOwnNotesOfTheStoredBody() {
    StoredHead stored = new StoredHead(200, List.of(new StoredHead.Field("content-encoding", "gzip"),
        new StoredHead.Field(ContentCoding.EDGE_GZIP, "1"), new StoredHead.Field(ContentCoding.NEGOTIATED, "1")));
    StoragePlan p = plan(head(200, "cache-control", "max-age=60", "content-encoding", "gzip")).keepingNotesOf(stored);
    assertEquals("1", p.head().first(ContentCoding.EDGE_GZIP));
    assertEquals("1", p.head().first(ContentCoding.NEGOTIATED));
    assertEquals(p.head(), StoredHead.decode(p.options().userMetadata()).orElseThrow(), "the stored head is the plan's");
  }

  @Test
  void theDeploymentsKeyFieldsJoinEveryVaryRule() {
    StoragePlan.Rules keyed = new StoragePlan.Rules(false, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO,
        Duration.ofDays(1), null, List.of("x-device"));
    WriteOptions o = StoragePlan.of(GET, head(200, "cache-control", "max-age=60", "vary", "Accept-Language"),
        keyed, NOW, NOW).options();
    assertEquals(List.of("accept-language", "x-device"), o.varyRule());
  }

  @Test
  void targetedFieldsRuleOverCacheControl() {
    assertTrue(plan(head(200, "cache-control", "no-store", "cdn-cache-control", "max-age=60")).stores());
    assertTrue(plan(head(200, "cache-control", "no-store", "surrogate-control", "max-age=60")).stores());
    assertEquals(StorePolicy.Decision.NO_STORE,
        plan(head(200, "cache-control", "no-store", "cdn-cache-control", "max-age=60, &&")).decision());
  }

  @Test
  void heuristicFreshnessOnlyWhenTheRulesHaveIt() {
    StoredHead lm = head(200, "last-modified", HttpDates.format(NOW - 100_000_000L));
    assertFalse(plan(lm).options().keepStale().isZero(), "kept for revalidation: it has a validator");
    assertEquals(Duration.ZERO, plan(lm).options().maxAge());
    StoragePlan.Rules heuristic = new StoragePlan.Rules(false, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO,
        Duration.ofDays(1), new FreshnessLifetime.Heuristic(0.1, 86_400), List.of());
    assertEquals(Duration.ofSeconds(10_000), StoragePlan.of(GET, lm, heuristic, NOW, NOW).options().maxAge());
  }
}
