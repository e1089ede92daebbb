package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Freshness lifetime (RFC 9111 §4.2.1, §4.2.2) and age (§4.2.3). */
class FreshnessLifetimeTest {
  private static final long NOW = HttpDates.parse("Tue, 14 Nov 2023 22:13:20 GMT", 0).orElseThrow();
  private static final String DATE = HttpDates.format(NOW);

  private static OptionalLong lifetime(String cc, List<String> expires, List<String> lastModified,
      FreshnessLifetime.Heuristic h) {
    return FreshnessLifetime.seconds(CacheControl.parse(cc), expires, List.of(DATE), lastModified, 200, NOW, h);
  }

  @Test
  void sMaxAgeThenMaxAgeThenExpires() {
    List<String> in100s = List.of(HttpDates.format(NOW + 100_000));
    assertEquals(OptionalLong.of(5), lifetime("s-maxage=5, max-age=50", in100s, List.of(), null));
    assertEquals(OptionalLong.of(50), lifetime("max-age=50", in100s, List.of(), null));
    assertEquals(OptionalLong.of(100), lifetime("", in100s, List.of(), null));
  }

  @Test
  void expiresThatIsNotADateOrRepeatedMeansExpired() {
    assertEquals(OptionalLong.of(0), lifetime("", List.of("0"), List.of(), null));
    assertEquals(OptionalLong.of(0), lifetime("", List.of("garbage"), List.of(), null));
    String future = HttpDates.format(NOW + 100_000);
    assertEquals(OptionalLong.of(0), lifetime("", List.of(future, future), List.of(), null));
    assertEquals(OptionalLong.of(0), lifetime("", List.of(HttpDates.format(NOW - 100_000)), List.of(), null));
  }

  @Test
  void heuristicFreshnessOnlyWhenConfigured() {
    List<String> lm = List.of(HttpDates.format(NOW - 1_000_000_000L)); // about 11.6 days ago
    assertEquals(OptionalLong.empty(), lifetime("", List.of(), lm, null));
    assertEquals(OptionalLong.of(100_000), lifetime("", List.of(), lm, new FreshnessLifetime.Heuristic(0.1, 86_400 * 7)));
    assertEquals(OptionalLong.of(3600), lifetime("", List.of(), lm, new FreshnessLifetime.Heuristic(0.1, 3600)));
    assertEquals(OptionalLong.empty(), FreshnessLifetime.seconds(CacheControl.EMPTY, List.of(),
        List.of(DATE), lm, 500, NOW, new FreshnessLifetime.Heuristic(0.1, 3600)), "500 is not heuristically cacheable");
    assertThrows(IllegalArgumentException.class, () -> new FreshnessLifetime.Heuristic(0, 1));
  }

  @Test
  void correctedInitialAge() {
    // Age 10 s, the origin took 2 s: 12 s.
    assertEquals(12_000, CurrentAge.correctedInitialAgeMillis(List.of("10"), List.of(DATE), NOW - 2000, NOW));
    // The Date is 30 s old on arrival: the apparent age wins.
    assertEquals(30_000, CurrentAge.correctedInitialAgeMillis(List.of("10"),
        List.of(HttpDates.format(NOW - 30_000)), NOW, NOW));
    // A Date in the future gives no negative age.
    assertEquals(0, CurrentAge.correctedInitialAgeMillis(List.of(),
        List.of(HttpDates.format(NOW + 30_000)), NOW, NOW));
  }

  @Test
  void hostileAgeValues() {
    assertEquals(0, CurrentAge.correctedInitialAgeMillis(List.of("-5"), List.of(), NOW, NOW));
    assertEquals(0, CurrentAge.correctedInitialAgeMillis(List.of("abc"), List.of(), NOW, NOW));
    assertEquals(7_000, CurrentAge.correctedInitialAgeMillis(List.of("abc", "7"), List.of(), NOW, NOW));
    // Repeats joined on one line count in order, as separate lines do.
    assertEquals(7_200_000, CurrentAge.correctedInitialAgeMillis(List.of("7200, 0"), List.of(), NOW, NOW));
    assertEquals(0, CurrentAge.correctedInitialAgeMillis(List.of("0, 7200"), List.of(), NOW, NOW));
    assertEquals(2_147_483_648_000L,
        CurrentAge.correctedInitialAgeMillis(List.of("9223372036854775808"), List.of(), NOW, NOW));
  }
}
