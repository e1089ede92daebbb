package dev.edgecache.http;

import static dev.edgecache.http.StorePolicy.Decision.AUTHORIZATION;
import static dev.edgecache.http.StorePolicy.Decision.DIRECTIVES;
import static dev.edgecache.http.StorePolicy.Decision.METHOD;
import static dev.edgecache.http.StorePolicy.Decision.NO_STORE;
import static dev.edgecache.http.StorePolicy.Decision.PRIVATE;
import static dev.edgecache.http.StorePolicy.Decision.SET_COOKIE;
import static dev.edgecache.http.StorePolicy.Decision.STATUS;
import static dev.edgecache.http.StorePolicy.Decision.STORE;
import static dev.edgecache.http.StorePolicy.Decision.VARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Storability (RFC 9111 §3), edge-targeted fields (RFC 9213), Vary, conditionals, Cache-Status. */
class PolicyTest {

  @ParameterizedTest(name = "[{index}] {0} {1} auth={2} cookie={5} -> {7}")
  @CsvSource(delimiter = '|', value = {
      // method | request CC | auth | status | response CC | set-cookie | vary | expected
      "GET  |          | false | 200 | max-age=60                      | false | accept | STORE",
      "HEAD |          | false | 200 | max-age=60                      | false |        | STORE",
      "POST |          | false | 200 | max-age=60                      | false |        | METHOD",
      "GET  | no-store | false | 200 | max-age=60                      | false |        | NO_STORE",
      "GET  |          | false | 200 | max-age=60, no-store            | false |        | NO_STORE",
      "GET  |          | false | 200 | public, private                 | false |        | PRIVATE",
      "GET  |          | false | 200 | private=\"x-user\", max-age=60  | false |        | STORE",
      "GET  |          | true  | 200 | max-age=60                      | false |        | AUTHORIZATION",
      "GET  |          | true  | 200 | public, max-age=60              | false |        | STORE",
      "GET  |          | true  | 200 | s-maxage=60                     | false |        | STORE",
      "GET  |          | true  | 200 | must-revalidate, max-age=60     | false |        | STORE",
      "GET  |          | false | 206 | max-age=60                      | false |        | STATUS",
      "GET  |          | false | 304 | max-age=60                      | false |        | STATUS",
      "GET  |          | false | 302 |                                 | false |        | STATUS",
      "GET  |          | false | 302 | max-age=60                      | false |        | STORE",
      "GET  |          | false | 500 |                                 | false |        | STATUS",
      "GET  |          | false | 404 |                                 | false |        | STORE",
      "GET  |          | false | 200 | max-age=60                      | true  |        | SET_COOKIE",
      "GET  |          | false | 200 | max-age=60                      | false | *      | VARY",
      "GET  |          | false | 200 | no-cache, max-age=60            | false |        | STORE",
  })
  void storability(String method, String requestCc, boolean auth, int status, String responseCc,
      boolean setCookie, String vary, StorePolicy.Decision expected) {
    CacheControl response = CacheControl.parse(responseCc);
    boolean explicit = response.maxAge().isPresent() || response.sMaxAge().isPresent();
    VaryRule rule = VaryRule.parse(vary == null ? List.of() : List.of(vary));
    assertEquals(expected, StorePolicy.decide(method, CacheControl.parse(requestCc), auth, status,
        response, explicit, setCookie, false, rule));
  }

  @Test
  void configuredToStoreSetCookieAndTooManyDirectives() {
    CacheControl ok = CacheControl.parse("max-age=60");
    assertEquals(STORE, StorePolicy.decide("GET", CacheControl.EMPTY, false, 200, ok, true, true, true, VaryRule.NONE));
    CacheControl flood = CacheControl.parse("x, ".repeat(100) + "max-age=60");
    assertEquals(DIRECTIVES, StorePolicy.decide("GET", CacheControl.EMPTY, false, 200, flood, true, false, false, VaryRule.NONE));
  }

  @Test
  void edgeTargetedFieldsTakePrecedence() {
    // Surrogate-Control: no-store wins over CC: public (THREATS 9)
    CacheControl eff = EdgeControl.effective(List.of("no-store"), List.of(), List.of("public, max-age=600"));
    assertTrue(eff.noStore());
    eff = EdgeControl.effective(List.of(), List.of("max-age=30"), List.of("max-age=600"));
    assertEquals(30, eff.maxAge().getAsLong());
    eff = EdgeControl.effective(List.of(), List.of(), List.of("max-age=600"));
    assertEquals(600, eff.maxAge().getAsLong());
    assertTrue(EdgeControl.targeted(List.of(), List.of("max-age=1")));
    assertFalse(EdgeControl.targeted(List.of(), List.of()));
  }

  @Test
  void varyRules() {
    assertEquals(List.of("accept-encoding", "accept-language"),
        VaryRule.parse(List.of("Accept-Encoding, accept-language", "ACCEPT-ENCODING")).names());
    assertTrue(VaryRule.parse(List.of("accept, *")).star());
    assertFalse(VaryRule.parse(List.of("*")).storable());
    assertTrue(VaryRule.parse(List.of("a b")).unusable(), "a name with a space is not a token");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      many.append("h").append(i).append(',');
    }
    assertFalse(VaryRule.parse(List.of(many.toString())).storable(), "1000 names: no variant key");
    assertEquals(VaryRule.NONE, VaryRule.parse(List.of("", " , ")));
  }

  @Test
  void varyValuesAreNormalisedSoTrivialDifferencesMakeNoNewVariant() {
    assertEquals(List.of("gzip,deflate"), VaryRule.normalise("Accept-Encoding", List.of("GZIP,  deflate")));
    assertEquals(List.of("gzip,deflate"), VaryRule.normalise("accept-encoding", List.of("gzip", " deflate ,")));
    assertEquals(List.of("Token"), VaryRule.normalise("X-Custom", List.of("Token")), "other fields keep their case");
    assertEquals(List.of(), VaryRule.normalise("accept", List.of()));
    assertEquals(List.of(""), VaryRule.normalise("accept", List.of(" , ")), "present but empty is not absent");
  }

  @Test
  void conditionalRequests() {
    String etag = "\"v1\"";
    String lm = "Sun, 06 Nov 1994 08:49:37 GMT";
    long now = 1_700_000_000_000L;
    assertTrue(Conditional.notModified(List.of("\"v0\", \"v1\""), List.of(), etag, lm, null, now));
    assertTrue(Conditional.notModified(List.of("W/\"v1\""), List.of(), etag, lm, null, now), "weak comparison");
    assertTrue(Conditional.notModified(List.of("*"), List.of(), etag, lm, null, now));
    assertFalse(Conditional.notModified(List.of("\"v2\""), List.of(lm), etag, lm, null, now),
        "If-None-Match decides; If-Modified-Since is not looked at");
    assertTrue(Conditional.notModified(List.of(), List.of(lm), etag, lm, null, now));
    assertTrue(Conditional.notModified(List.of(), List.of("Mon, 07 Nov 1994 08:49:37 GMT"), null, lm, null, now));
    assertFalse(Conditional.notModified(List.of(), List.of("Sat, 05 Nov 1994 08:49:37 GMT"), null, lm, null, now));
    assertFalse(Conditional.notModified(List.of(), List.of("garbage"), null, lm, null, now));
    assertTrue(Conditional.notModified(List.of(), List.of(lm), null, null, lm, now), "Date stands in for Last-Modified");
    assertTrue(Conditional.ifRangeHolds(null, etag, lm));
    assertTrue(Conditional.ifRangeHolds(etag, etag, lm));
    assertFalse(Conditional.ifRangeHolds("W/\"v1\"", etag, lm), "If-Range needs a strong match");
    assertTrue(Conditional.ifRangeHolds(lm, etag, lm));
    assertFalse(Conditional.ifRangeHolds("Mon, 07 Nov 1994 08:49:37 GMT", etag, lm));
  }

  @Test
  void cacheStatusFields() {
    assertEquals("edgecache; hit; ttl=42", CacheStatus.hit("edgecache").withTtl(42).toString());
    assertEquals("edgecache; fwd=uri-miss; fwd-status=200; stored; collapsed",
        CacheStatus.forward("edgecache", CacheStatus.Forward.URI_MISS).withForwardStatus(200)
            .withStored(true).withCollapsed(true).toString());
    assertEquals("edgecache; fwd=vary-miss; key=\"/a\\\"b%0D%0Ac%C3%A9\"",
        CacheStatus.forward("edgecache", CacheStatus.Forward.VARY_MISS).withKey("/a\"b\r\ncé").toString());
    assertEquals("edgecache; fwd=bypass; detail=\"no-store\"",
        CacheStatus.forward("edgecache", CacheStatus.Forward.BYPASS).withDetail("no-store").toString());
    assertEquals("edgecache; hit; ttl=-5", CacheStatus.hit("edgecache").withTtl(-5).toString());
  }
}
