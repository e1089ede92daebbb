package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cache-Control parsing (RFC 9111 §5.2): tolerant, restrictive on conflict, never throwing. */
class CacheControlTest {

  @ParameterizedTest(name = "[{index}] {0} -> max-age {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "max-age=60                       | 60",
      "MAX-AGE=60                       | 60",
      "  max-age = 60 ,                 | 60",
      "public, max-age=60, must-revalidate | 60",
      "max-age=60, max-age=30           | 30",  // conflicting duplicates: the more restrictive
      "max-age=30, max-age=60           | 30",
      "max-age=-1                       | 0",   // invalid: stale (RFC 9111 §4.2.1)
      "max-age=1e3                      | 0",
      "max-age=\"10\"                   | 0",   // the quoted form is not delta-seconds
      "max-age=                         | none",// no value at all: the member does not parse
      "max-age=99999999999999999999     | 2147483648", // clamped to 2^31 (§1.2.2)
      "max-age=60 garbage               | none",
      "no-store                         | none",
      "                                 | none",
  })
  void maxAge(String header, Long expected) {
    CacheControl cc = CacheControl.parse(header);
    assertEquals(expected == null ? OptionalLong.empty() : OptionalLong.of(expected), cc.maxAge());
  }

  @Test
  void flagsAndFieldNames() {
    CacheControl cc = CacheControl.parse(List.of(
        "Public, No-Store", "private=\"Set-Cookie, X-Token\", no-cache=\"x-a\"", "must-revalidate"));
    assertTrue(cc.isPublic());
    assertTrue(cc.noStore());
    assertFalse(cc.isPrivate(), "qualified private is not the plain form");
    assertEquals(Set.of("set-cookie", "x-token"), cc.privateFields());
    assertTrue(cc.noCache(), "a shared cache treats qualified no-cache as no-cache");
    assertEquals(Set.of("x-a"), cc.noCacheFields());
    assertTrue(cc.mustRevalidate());
  }

  @Test
  void extensionsAndStaleDirectives() {
    CacheControl cc = CacheControl.parse(
        "s-maxage=10, stale-while-revalidate=30, stale-if-error=600, immutable, community=\"UCI\"");
    assertEquals(OptionalLong.of(10), cc.sMaxAge());
    assertEquals(OptionalLong.of(30), cc.staleWhileRevalidate());
    assertEquals(OptionalLong.of(600), cc.staleIfError());
    assertTrue(cc.immutable());
    CacheControl bad = CacheControl.parse("stale-while-revalidate=soon, stale-if-error=-5");
    assertTrue(bad.staleWhileRevalidate().isEmpty());
    assertTrue(bad.staleIfError().isEmpty());
  }

  @Test
  void requestDirectives() {
    CacheControl cc = CacheControl.parse("max-stale, min-fresh=5, only-if-cached");
    assertEquals(OptionalLong.of(Long.MAX_VALUE), cc.maxStale());
    assertEquals(OptionalLong.of(5), cc.minFresh());
    assertTrue(cc.onlyIfCached());
    assertTrue(CacheControl.forRequest(List.of(), List.of("no-cache")).noCache());
    assertFalse(CacheControl.forRequest(List.of("max-age=5"), List.of("no-cache")).noCache(),
        "Pragma counts only without Cache-Control");
  }

  @Test
  void garbageIsIgnoredNeverThrown() {
    for (String garbage : List.of("\"", "=", ",,,,", "max-age=\"unterminated", "\u0000\u0007",
        "no-store=\"a,b\" x", "max-age==5", "=5", "private=\"", "\\", "a=b=c")) {
      CacheControl cc = CacheControl.parse(garbage);
      assertFalse(cc.isPublic(), garbage);
    }
    CacheControl mixed = CacheControl.parse("junk junk, no-store, max-age=\"unterminated, public");
    assertTrue(mixed.noStore(), "good members around a bad one still count");
  }

  @Test
  void manyDirectivesAreCappedInLinearTime() {
    String many = "a, ".repeat(100_000) + "no-store";
    CacheControl cc = CacheControl.parse(many);
    assertTrue(cc.truncated());
    assertFalse(cc.noStore(), "directives past the cap are not read");
    String quotes = "x=\"" + "\\\"".repeat(100_000) + "\", public";
    assertTrue(CacheControl.parse(quotes).isPublic());
  }
}
