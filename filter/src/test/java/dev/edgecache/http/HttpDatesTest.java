package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** HTTP dates (RFC 9110 §5.6.7). */
class HttpDatesTest {
  private static final long NOW = 1_700_000_000_000L; // 2023-11-14
  private static final long SUN_06_NOV_1994 = 784_111_777_000L;

  @ParameterizedTest
  @ValueSource(strings = {
      "Sun, 06 Nov 1994 08:49:37 GMT",   // IMF-fixdate
      "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
      "Sun Nov  6 08:49:37 1994",        // asctime
      "  Sun, 06 Nov 1994 08:49:37 GMT  "})
  void theThreeForms(String value) {
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parse(value, NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "", "yesterday", "Sun, 06 Nov 1994 08:49:37 PST",
      "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT garbage garbage garbage garbage garbage garbage",
      "Sun, 06 Nov 94 08:49:37 GMT",     // two-digit year in an IMF-fixdate
      "Sun 06 Nov 1994 08:49:37 GMT",    // comma missing
      "Sun, 06  Nov  1994 08:49:37 GMT", // spaces doubled
      "Sun, 06-Nov-1994 08:49:37 GMT",   // dashes in an IMF-fixdate
      "Sun, 06 Nov 1994 08.49.37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sunday, 06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun Nov 6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
      "Sun, ٠٦ Nov 1994 08:49:37 GMT"})
  void notDates(String value) {
    assertTrue(HttpDates.parse(value, NOW).isEmpty(), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SUN, 06 NOV 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 gMT",
      "SUNDAY, 06-nov-94 08:49:37 gmt"})
  void namesInAnyCase(String value) {
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parse(value, NOW));
  }

  @Test
  void aTwoDigitYearMoreThanFiftyYearsAheadIsInThePastCentury() {
    long y2060 = HttpDates.parse("Thursday, 01-Jan-60 00:00:00 GMT", NOW).orElseThrow();
    assertEquals("Thu, 01 Jan 2060 00:00:00 GMT", HttpDates.format(y2060));
    long y1980 = HttpDates.parse("Tuesday, 01-Jan-80 00:00:00 GMT", NOW).orElseThrow();
    assertEquals("Tue, 01 Jan 1980 00:00:00 GMT", HttpDates.format(y1980));
  }

  @Test
  void aRepeatedFieldIsNoDate() {
    String d = "Sun, 06 Nov 1994 08:49:37 GMT";
    assertTrue(HttpDates.parseSingle(List.of(d, d), NOW).isEmpty());
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parseSingle(List.of(d), NOW));
    assertEquals(d, HttpDates.format(SUN_06_NOV_1994));
  }

  /** The last IMF-fixdate is remembered; what follows it is parsed on its own terms. */
  @Test
  void aDateParsedAgainOrAfterAnotherGivesItsOwnInstant() {
    String sunday = "Sun, 06 Nov 1994 08:49:37 GMT";
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parse(sunday, NOW));
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parse(sunday, NOW));
    assertEquals(OptionalLong.of(SUN_06_NOV_1994 + 1000), HttpDates.parse("Sun, 06 Nov 1994 08:49:38 GMT", NOW));
    assertTrue(HttpDates.parse("Sun, 06 Nov 1994 08:49:38 PST", NOW).isEmpty());
    assertEquals(OptionalLong.of(SUN_06_NOV_1994), HttpDates.parse(" " + sunday, NOW));
  }
}
