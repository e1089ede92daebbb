package dev.edgecache.http;

import static dev.edgecache.http.StorePolicy.Decision.AUTHORIZATION;
import static dev.edgecache.http.StorePolicy.Decision.COOKIE;
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

  @ParameterizedTest(name = "[{index}] {0} {1} auth={2} cookie={3} status={4} -> {8}")
  @CsvSource(delimiter = '|', value = {
      // method | request CC | auth | cookie | status | response CC | set-cookie | vary | expected
      "GET  |          | false | false | 200 | max-age=60                      | false | accept | STORE",
      "HEAD |          | false | false | 200 | max-age=60                      | false |        | STORE",
      "POST |          | false | false | 200 | max-age=60                      | false |        | METHOD",
      "GET  | no-store | false | false | 200 | max-age=60                      | false |        | NO_STORE",
      "GET  |          | false | false | 200 | max-age=60, no-store            | false |        | NO_STORE",
      "GET  |          | false | false | 200 | public, private                 | false |        | PRIVATE",
      "GET  |          | false | false | 200 | private=\"x-user\", max-age=60  | false |        | STORE",
      "GET  |          | true  | false | 200 | max-age=60                      | false |        | AUTHORIZATION",
      "GET  |          | true  | false | 200 | public, max-age=60              | false |        | STORE",
      "GET  |          | true  | false | 200 | s-maxage=60                     | false |        | STORE",
      "GET  |          | true  | false | 200 | must-revalidate, max-age=60     | false |        | STORE",
      "GET  |          | false | false | 206 | max-age=60                      | false |        | STATUS",
      "GET  |          | false | false | 304 | max-age=60                      | false |        | STATUS",
      "GET  |          | false | false | 302 |                                 | false |        | STATUS",
      "GET  |          | false | false | 302 | max-age=60                      | false |        | STORE",
      "GET  |          | false | false | 500 |                                 | false |        | STATUS",
      "GET  |          | false | false | 404 |                                 | false |        | STORE",
      "GET  |          | false | false | 200 | max-age=60                      | true  |        | SET_COOKIE",
      "GET  |          | false | false | 200 | max-age=60                      | false | *      | VARY",
      "GET  |          | false | false | 200 | no-cache, max-age=60            | false |        | STORE",
      "GET  |          | false | true  | 200 | max-age=60                      | false |        | COOKIE",
      "GET  |          | false | true  | 200 | public, max-age=60              | false |        | STORE",
      "GET  |          | false | true  | 200 | s-maxage=60                     | false |        | STORE",
      "GET  |          | false | true  | 200 | must-revalidate, max-age=60     | false |        | STORE",
      "GET  |          | false | true  | 200 | max-age=60                      | false | cookie | STORE",
      "GET  |          | false | true  | 200 | private, max-age=60             | false | cookie | PRIVATE",
      "GET  |          | false | false | 400 | public, max-age=60              | false |        | STATUS",
      "GET  |          | false | false | 431 | public, max-age=60              | false |        | STATUS",
      "GET  |          | false | false | 503 | max-age=60                      | false |        | STORE",
      "GET  |          | false | false | 405 |                                 | false |        | STORE",
  })
  void storability(String method, String requestCc, boolean auth, boolean cookie, int status,
      String responseCc, boolean setCookie, String vary, StorePolicy.Decision expected) {
    CacheControl response = CacheControl.parse(responseCc);
    boolean explicit = response.maxAge().isPresent() || response.sMaxAge().isPresent();
    VaryRule rule = VaryRule.parse(vary == null ? List.of() : List.of(vary));
    assertEquals(expected, StorePolicy.decide(
        new StorePolicy.Request(method, CacheControl.parse(requestCc), auth, cookie),
        new StorePolicy.Response(status, response, explicit, setCookie, rule), false, true));
  }

  @Test
  void configuredToStoreSetCookieAndTooManyDirectives() {
    StorePolicy.Request get = new StorePolicy.Request("GET", CacheControl.EMPTY, false, false);
    CacheControl ok = CacheControl.parse("max-age=60");
    assertEquals(STORE, StorePolicy.decide(get, new StorePolicy.Response(200, ok, true, true, VaryRule.NONE), true, true));
    CacheControl flood = CacheControl.parse("x, ".repeat(100) + "max-age=60");
    assertEquals(DIRECTIVES, StorePolicy.decide(get, new StorePolicy.Response(200, flood, true, false, VaryRule.NONE), false, true));
  }

  /** RFC 9111 §5.2.2.3: no-store beside must-understand is for caches that do not know the status. */
  @Test
  void mustUnderstandStoresAKnownStatusDespiteNoStoreAndNoOtherStatus() {
    StorePolicy.Request get = new StorePolicy.Request("GET", CacheControl.EMPTY, false, false);
    CacheControl cc = CacheControl.parse("max-age=3600, no-store, must-understand");
    assertTrue(cc.mustUnderstand());
    assertEquals(STORE, StorePolicy.decide(get, new StorePolicy.Response(200, cc, true, false, VaryRule.NONE), false, true));
    assertEquals(STORE, StorePolicy.decide(get, new StorePolicy.Response(404, cc, true, false, VaryRule.NONE), false, true));
    // a status this cache does not know: not stored, with or without no-store
    assertEquals(STATUS, StorePolicy.decide(get, new StorePolicy.Response(599, cc, true, false, VaryRule.NONE), false, true));
    assertEquals(STATUS, StorePolicy.decide(get, new StorePolicy.Response(299,
        CacheControl.parse("max-age=3600, must-understand"), true, false, VaryRule.NONE), false, true));
    // only the response's no-store is lifted: the request's holds, and so do private and credentials
    StorePolicy.Request noStore = new StorePolicy.Request("GET", CacheControl.parse("no-store"), false, false);
    assertEquals(NO_STORE, StorePolicy.decide(noStore, new StorePolicy.Response(200, cc, true, false, VaryRule.NONE), false, true));
    assertEquals(PRIVATE, StorePolicy.decide(get, new StorePolicy.Response(200,
        CacheControl.parse("private, no-store, must-understand, max-age=60"), true, false, VaryRule.NONE), false, true));
    StorePolicy.Request authorized = new StorePolicy.Request("GET", CacheControl.EMPTY, true, false);
    assertEquals(AUTHORIZATION, StorePolicy.decide(authorized, new StorePolicy.Response(200, cc, true, false, VaryRule.NONE), false, true));
    // without must-understand, no-store is no-store
    assertEquals(NO_STORE, StorePolicy.decide(get, new StorePolicy.Response(200,
        CacheControl.parse("max-age=3600, no-store"), true, false, VaryRule.NONE), false, true));
  }

  @Test
  void transientErrorsAreKeptBrieflyOrNotAtAll() {
    StorePolicy.Request get = new StorePolicy.Request("GET", CacheControl.EMPTY, false, false);
    CacheControl day = CacheControl.parse("max-age=86400");
    assertEquals(STATUS, StorePolicy.decide(get, new StorePolicy.Response(503, day, true, false, VaryRule.NONE), false, false));
    assertEquals(STORE, StorePolicy.decide(get, new StorePolicy.Response(404, day, true, false, VaryRule.NONE), false, false));
    assertEquals(10, StorePolicy.errorLifetime(503, 86400, 10));
    assertEquals(10, StorePolicy.errorLifetime(412, 86400, 10));
    assertEquals(5, StorePolicy.errorLifetime(500, 5, 10));
    assertEquals(86400, StorePolicy.errorLifetime(404, 86400, 10));
    assertEquals(86400, StorePolicy.errorLifetime(410, 86400, 10));
    assertEquals(86400, StorePolicy.errorLifetime(200, 86400, 10));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      // method | safe
      "GET | true", "HEAD | true", "OPTIONS | true", "TRACE | true", "PROPFIND | true",
      "POST | false", "PUT | false", "DELETE | false", "PATCH | false", "get | false", "BREW | false",
  })
  void onlyUnsafeMethodsInvalidate(String method, boolean safe) {
    assertEquals(safe, Methods.isSafe(method));
  }

  @ParameterizedTest(name = "[{index}] raw={0} key={1}")
  @CsvSource(delimiter = '|', value = {
      // raw path | key path | canonical
      "/p              | /p          | true",
      "/a/b/c.css      | /a/b/c.css  | true",
      "/caf%C3%A9      | /caf\u00e9 | true",
      "/a%20b          | /a b        | true",
      "/~user/x+y=z    | /~user/x+y=z | true",
      "/p;evil=1       | /p          | false",
      "/%63            | /c          | false",
      "/z/../p         | /p          | false",
      "/./p            | /p          | false",
      "/caf%c3%a9      | /caf\u00e9 | false",
      "/a%3Bb          | /a;b        | true",
      "/p%2Fq          | /p/q        | false",
      "/p/             | /p          | false",
  })
  void theRawTargetMustBeTheKeysOwnPath(String raw, String key, boolean canonical) {
    assertEquals(canonical, RequestPolicy.isCanonical(raw, key));
  }

  @Test
  void requestsThatTheKeyCannotDescribePass() {
    java.util.Set<String> overrides = java.util.Set.copyOf(RequestPolicy.DEFAULT_OVERRIDE_FIELDS);
    assertEquals(RequestPolicy.Verdict.CACHE, RequestPolicy.decide(n -> false, -1, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.CACHE, RequestPolicy.decide(n -> false, 0, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.BODY, RequestPolicy.decide(n -> false, 5, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.BODY,
        RequestPolicy.decide(n -> n.equals("transfer-encoding"), -1, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.OVERRIDE,
        RequestPolicy.decide(n -> n.equals("x-http-method-override"), -1, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.OVERRIDE,
        RequestPolicy.decide(n -> n.equals("x-original-url"), -1, overrides, "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.CACHE,
        RequestPolicy.decide(n -> n.equals("x-original-url"), -1, java.util.Set.of(), "/p", "/p", null));
    assertEquals(RequestPolicy.Verdict.TARGET, RequestPolicy.decide(n -> false, -1, overrides, "/p;x", "/p", null));
    assertEquals(RequestPolicy.Verdict.TARGET, RequestPolicy.decide(n -> false, -1, overrides, null, "/p", null));
    assertEquals(RequestPolicy.Verdict.CACHE, RequestPolicy.decide(n -> false, -1, overrides, "/p", "/p", "q={\"a\"|1}"));
    assertEquals(RequestPolicy.Verdict.TARGET, RequestPolicy.decide(n -> false, -1, overrides, "/p", "/p", "a=\u00e9"));
    assertEquals(RequestPolicy.Verdict.TARGET, RequestPolicy.decide(n -> false, -1, overrides, "/p", "/p", "a=%zz"));
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
    assertEquals(List.of("deflate,gzip"), VaryRule.normalise("Accept-Encoding", List.of("GZIP,  deflate")));
    assertEquals(List.of("deflate,gzip"), VaryRule.normalise("accept-encoding", List.of("gzip", " deflate ,")));
    assertEquals(List.of("deflate,gzip"), VaryRule.normalise("accept-encoding", List.of("deflate;q=0.5, x-gzip")));
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
