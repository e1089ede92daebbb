package dev.edgecache.http;

import static dev.edgecache.http.ByteRanges.Outcome.MULTIPART;
import static dev.edgecache.http.ByteRanges.Outcome.PARTIAL;
import static dev.edgecache.http.ByteRanges.Outcome.UNSATISFIABLE;
import static dev.edgecache.http.ByteRanges.Outcome.WHOLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range requests on cached objects (RFC 9110 §14), including the attacks in THREATS 17. */
class ByteRangesTest {

  @ParameterizedTest(name = "[{index}] Range: {0} before the length is known -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "bytes=0-99|0-99", "bytes=10-10|10-10", " bytes = 5-9 |5-9", "BYTES=0-0|0-0",
      "bytes=0-|none", "bytes=-100|none", "bytes=0-9,20-29|none", "bytes=9-0|none",
      "items=0-9|none", "bytes=0-2000000|none", "bytes=a-9|none", "bytes=0-99999999999999999999999|none",
      "none|none"})
  void aBoundedSingleRangeCanBeAnsweredWithoutTheLength(String field, String expected) {
    String got = ByteRanges.boundedSingle(field, 1 << 20).map(r -> r.first() + "-" + r.last()).orElse(null);
    assertEquals(expected, got);
  }


  @ParameterizedTest(name = "[{index}] Range: {0} on 1000 bytes -> {1} {2}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "bytes=0-99                      | PARTIAL       | 0-99",
      "bytes=900-                      | PARTIAL       | 900-999",
      "bytes=-100                      | PARTIAL       | 900-999",
      "bytes=-99999999999              | PARTIAL       | 0-999",
      "bytes=0-18446744073709551615    | PARTIAL       | 0-999",
      "bytes=990-2000                  | PARTIAL       | 990-999",
      "BYTES = 0-0                     | PARTIAL       | 0-0",
      "bytes=0-9, 20-29                | MULTIPART     | 0-9 20-29",
      "bytes=20-29, 0-9                | MULTIPART     | 20-29 0-9",
      "bytes=0-9, 5-15                 | WHOLE         | none",
      "bytes=0-, 0-                    | WHOLE         | none",
      "bytes=1000-                     | UNSATISFIABLE | none",
      "bytes=-0                        | UNSATISFIABLE | none",
      "bytes=5-4                       | WHOLE         | none",
      "bytes=abc                       | WHOLE         | none",
      "bytes=-                         | WHOLE         | none",
      "items=0-5                       | WHOLE         | none",
      "bytes=                          | WHOLE         | none",
      "garbage                         | WHOLE         | none",
      "bytes=1000-, 0-9                | PARTIAL       | 0-9",
  })
  void decisions(String field, ByteRanges.Outcome outcome, String ranges) {
    ByteRanges.Decision d = ByteRanges.decide(field, 1000, 16);
    assertEquals(outcome, d.outcome());
    String got = String.join(" ", d.ranges().stream().map(r -> r.first() + "-" + r.last()).toList());
    assertEquals(ranges == null ? "" : ranges, got);
  }

  @Test
  void tooManyRangesGetTheWholeResponse() {
    String thousand = "bytes=" + "0-0,".repeat(1000);
    assertEquals(WHOLE, ByteRanges.decide(thousand, 1000, 16).outcome());
    StringBuilder sixteen = new StringBuilder("bytes=");
    for (int i = 0; i < 16; i++) {
      sixteen.append(i * 10).append('-').append(i * 10 + 1).append(',');
    }
    assertEquals(MULTIPART, ByteRanges.decide(sixteen.toString(), 1000, 16).outcome());
    assertEquals(WHOLE, ByteRanges.decide("bytes=0-1,10-11,20-21", 1000, 2).outcome());
  }

  @Test
  void contentRangeAndEmptyObjects() {
    ByteRanges.Decision d = ByteRanges.decide("bytes=0-99", 1000, 16);
    assertEquals("bytes 0-99/1000", d.ranges().get(0).contentRange(1000));
    assertEquals(100, d.ranges().get(0).length());
    assertEquals(UNSATISFIABLE, ByteRanges.decide("bytes=0-", 0, 16).outcome());
    assertEquals(PARTIAL, ByteRanges.decide("bytes=0-", 1, 16).outcome());
    assertEquals(WHOLE, ByteRanges.decide(null, 1, 16).outcome());
    assertEquals(List.of(), ByteRanges.decide("bytes=" + "9".repeat(10_000), 1000, 16).ranges());
  }
}
