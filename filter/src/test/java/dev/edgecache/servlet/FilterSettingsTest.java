package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's settings: the builder, the init-param parser into it, and their checks. */
class FilterSettingsTest {
  @Test
  void theBuilderStartsAtTheDefaults() {
    assertEquals(FilterSettings.DEFAULT, FilterSettings.builder().build());
    assertEquals(FilterSettings.DEFAULT, FilterSettings.fromInitParams(name -> null));
  }

  @Test
  void initParamsAndTheBuilderGiveTheSameSettings() {
    FilterSettings parsed = FilterSettings.fromInitParams(Map.of("stale-if-error", "600",
        "ignore-cookies", "_ga*, consent", "admin-token", "0123456789abcdef", "lock-timeout-ms", "2500")::get);
    FilterSettings built = FilterSettings.builder().staleIfError(Duration.ofMinutes(10))
        .ignoreCookies(List.of("_ga*", "consent")).adminToken("0123456789abcdef")
        .lockTimeout(Duration.ofMillis(2500)).build();
    assertEquals(built, parsed);
    assertEquals(parsed, parsed.toBuilder().build());
    assertEquals(Duration.ofSeconds(30), parsed.toBuilder().hitForMiss(Duration.ofSeconds(30)).build().hitForMiss());
  }

  @Test
  void buildNamesTheBadSetting() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.builder().adminToken("short").build()).getMessage().contains("admin-token"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.builder().maxRanges(0).build()).getMessage().contains("max-ranges"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.builder().keepStale(Duration.ofSeconds(-1)).build()).getMessage().contains("keep-stale"));
  }
}
