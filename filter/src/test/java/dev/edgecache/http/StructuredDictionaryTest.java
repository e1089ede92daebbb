package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Structured Field Dictionaries (RFC 8941 §3.2), as {@code CDN-Cache-Control} uses them. */
class StructuredDictionaryTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "max-age=10000", "max-age=10, private", "no-store",
      "max-age=\"10000\"", "a=1;b=2;c, d=?0", "a=(1 2 \"x\");q=1", "a=:cHJldGVuZA==:", "a=1.5, b=-3",
      "a=tok/en:x", "  max-age=1 ,  s-maxage=2  ", "*a=1"})
  void valid(String value) {
    assertTrue(StructuredDictionary.isValid(List.of(value)), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"max-age=10000, &&&&&", "Max-Age=1", "a=1,", ",a=1", "a=", "a=1 b=2",
      "a=\"unterminated", "a=1.2345", "a=1234567890123456", "a=?2", "a=(1 2", "a=:***:", "1a=1",
      "a=\"\\x\""})
  void invalid(String value) {
    assertFalse(StructuredDictionary.isValid(List.of(value)), value);
  }

  @Test
  void linesAreCombinedBeforeParsing() {
    assertTrue(StructuredDictionary.isValid(List.of("max-age=1", "private")));
    assertFalse(StructuredDictionary.isValid(List.of("max-age=1", "&")));
  }

  @Test
  void anInvalidCdnCacheControlGivesWayToCacheControl() {
    CacheControl cc = EdgeControl.effective(List.of(), List.of("max-age=10000, &&&&&"), List.of("no-store"));
    assertTrue(cc.noStore());
    assertFalse(EdgeControl.targeted(List.of(), List.of("max-age=10000, &&&&&")));
    assertTrue(EdgeControl.effective(List.of(), List.of("max-age=60"), List.of("no-store")).maxAge().isPresent());
  }
}
