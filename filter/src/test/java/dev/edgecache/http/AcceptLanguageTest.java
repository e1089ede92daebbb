package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AcceptLanguageTest {
  private static AcceptLanguage parse(String... lines) {
    return AcceptLanguage.parse(List.of(lines));
  }

  @Test
  void caseSpacesAndTheOrderOfEqualWeightsDoNotChangeTheKey() {
    String key = parse("en, de").variantKey();
    assertEquals("~1000:de,en", key);
    assertEquals(key, parse("de, en").variantKey());
    assertEquals(key, parse("eN, De").variantKey());
    assertEquals(key, parse(" en ,   de").variantKey());
    assertEquals(key, parse("en", "de").variantKey());
    assertEquals(key, parse("en;q=1, de;Q=1.000, ,").variantKey());
    assertEquals("~1000:fr;500:de", parse("de;q=0.5, fr").variantKey());
    assertEquals(parse("de;q=0.5").variantKey(), parse("de;q=0.500").variantKey());
  }

  @Test
  void weightsStillTellFieldsApart() {
    assertNotEquals(parse("en, de;q=0.5").variantKey(), parse("en;q=0.5, de").variantKey());
    assertNotEquals(parse("en").variantKey(), parse("en, de").variantKey());
    assertNotEquals(parse("en").variantKey(), parse("en;q=0").variantKey());
  }

  @Test
  void aFieldThatIsNotLanguageRangesKeysAVariantOfItsOwn() {
    for (String bad : List.of("en;q=2", "en;q=0.1234", "en_US", "en;level=1", "en-", "abcdefghi", "en;q=")) {
      AcceptLanguage a = parse(bad);
      assertFalse(a.readable(), bad);
      assertEquals("!" + bad, a.variantKey(), bad);
      assertEquals(Optional.empty(), a.lookup(List.of("en")), bad);
    }
    assertFalse(parse("en" + ", en".repeat(AcceptLanguage.MAX_RANGES)).readable());
    // the three kinds of key never meet: a field spelt as another kind's key is not read as one
    assertEquals("!=de", parse("=de").variantKey());
    assertNotEquals(AcceptLanguage.languageKey("de"), parse("=de").variantKey());
  }

  @Test
  void lookupShortensARangeASubtagAtATimeBestRangeFirst() {
    List<String> served = List.of("en", "de", "zh-hant");
    assertEquals(Optional.of("de"), parse("fr, de;q=0.8").lookup(served));
    assertEquals(Optional.of("de"), parse("de-CH-1996").lookup(served));
    assertEquals(Optional.of("de"), parse("de-CH-x-private").lookup(served)); // the singleton goes with its subtag
    assertEquals(Optional.of("zh-hant"), parse("zh-Hant-TW, en;q=0.9").lookup(served));
    assertEquals(Optional.of("en"), parse("de;q=0.5, en").lookup(served));
    // a weight of 0 accepts nothing, and * names no language
    assertEquals(Optional.empty(), parse("de;q=0, *").lookup(served));
    assertEquals(Optional.empty(), parse("fr").lookup(served));
    assertEquals(Optional.empty(), AcceptLanguage.parse(List.of()).lookup(served));
  }

  @Test
  void onlyChoiceIsTheOneBestRangeWhenTheOriginServesIt() {
    Set<String> served = Set.of("de", "en");
    assertEquals(Optional.of("de"), parse("fr;q=0.5, de;q=1.0").onlyChoice(served));
    assertEquals(Optional.of("de"), parse("de").onlyChoice(served));
    // two best ranges: the origin's pick is not known
    assertEquals(Optional.empty(), parse("en, de").onlyChoice(served));
    // a best range the origin was never seen to serve, exactly: it may serve it
    assertEquals(Optional.empty(), parse("de-at, de;q=0.9").onlyChoice(served));
    assertEquals(Optional.empty(), parse("fr, de;q=0.9").onlyChoice(served));
    assertEquals(Optional.empty(), parse("de;q=0").onlyChoice(served));
    assertEquals(Optional.empty(), parse("*").onlyChoice(served));
  }

  @Test
  void contentLanguageIsOneTagOrNone() {
    assertEquals(Optional.of("de-ch"), AcceptLanguage.contentLanguage(List.of(" de-CH ")));
    assertEquals(Optional.empty(), AcceptLanguage.contentLanguage(List.of("de, en")));
    assertEquals(Optional.empty(), AcceptLanguage.contentLanguage(List.of("de", "en")));
    assertEquals(Optional.empty(), AcceptLanguage.contentLanguage(List.of()));
    assertEquals(Optional.empty(), AcceptLanguage.contentLanguage(List.of("*")));
    assertTrue(AcceptLanguage.contentLanguage(List.of("x-klingon")).isPresent());
  }
}
