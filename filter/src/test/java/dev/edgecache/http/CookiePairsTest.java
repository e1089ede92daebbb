package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CookiePairsTest {
  @Test
  void pairsKeepTheirNamesAndValuesExactlyAsSent() {
    assertEquals(List.of(new CookiePairs.Pair("lang", "fr"), new CookiePairs.Pair("LANG", "\"de\""),
        new CookiePairs.Pair("t", "a=b==")),
        CookiePairs.parse(List.of("lang=fr; LANG=\"de\"", "t=a=b==;")));
    assertEquals(List.of(new CookiePairs.Pair("e", "")), CookiePairs.parse(List.of("e=")));
  }

  /** Shapes that containers read differently: none of them is read at all. */
  @ParameterizedTest
  @ValueSource(strings = {"lang = fr", "lang =fr", "lang= fr", "lang=f r", "lang", "=fr", "la ng=fr",
      "lang=fr,de", "lang=fr\u0001", "a=1; b"})
  void ambiguousFieldsAreNotRead(String field) {
    assertNull(CookiePairs.parse(List.of(field)), field);
  }
}
