package dev.edgecache.servlet.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsEveryKindOfValue() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", List.of("x", "\"q\"\\/\n\u00e9"));
    expected.put("b", true);
    expected.put("c", null);
    expected.put("d", -12.5e2);
    expected.put("e", Map.of());
    assertEquals(expected, Json.read(" {\"a\": [\"x\", \"\\\"q\\\"\\\\\\/\\n\\u00e9\"], \"b\":true, \"c\":null,"
        + " \"d\": -12.5e2, \"e\": {}} "));
    assertEquals(List.of(), Json.read("[]"));
  }

  @Test
  void refusesWhatIsNotStrictlyJson() {
    for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":1} x", "01", "1.", "-",
        "\"open", "\"tab\there\"", "{\"a\":1,\"a\":2}", "tru", "\"\\x\"", "\"\\u12\"", "{a:1}", "[1 2]")) {
      assertThrows(IllegalArgumentException.class, () -> Json.read(bad), bad);
    }
  }

  @Test
  void refusesNestingDeeperThanItsLimit() {
    char[] open = new char[Json.MAX_DEPTH + 2];
    char[] close = new char[Json.MAX_DEPTH + 2];
    Arrays.fill(open, '[');
    Arrays.fill(close, ']');
    String deep = new String(open) + new String(close);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.read(deep));
    assertEquals("not JSON at character " + (Json.MAX_DEPTH + 1) + ": nested deeper than " + Json.MAX_DEPTH,
        e.getMessage());
    String hostile = "[".repeat(100_000);
    assertThrows(IllegalArgumentException.class, () -> Json.read(hostile));
  }

  @Test
  void quotesWhatAStringMayNotHoldAsItIs() {
    assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u2028\"", Json.quote("a\"b\\c\n\u0001\u2028"));
    assertEquals("a\"b\\c\n\u0001\u2028", Json.read(Json.quote("a\"b\\c\n\u0001\u2028")));
  }
}
