package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Query strings in keys. */
class QueryKeyTest {
  @Test
  void asItIsSortedOrWithout() {
    assertEquals("b=2&a=1", QueryKey.normalise("b=2&a=1", false, ignoring()));
    assertEquals("a=1&b=2", QueryKey.normalise("b=2&a=1", true, ignoring()));
    assertEquals("a=1&a=2&b=1", QueryKey.normalise("b=1&a=1&a=2", true, ignoring()));
    assertEquals("a=1", QueryKey.normalise("utm_source=x&a=1&utm%5Fsource=y", false, ignoring("utm_source")));
    assertNull(QueryKey.normalise(null, true, ignoring("a")));
    assertNull(QueryKey.normalise("utm_source=x", false, ignoring("utm_source")));
  }

  @Test
  void parserParityWithTheServlet() {
    // ';' is no separator to the Servlet API: the cloaked value stays in the key
    assertEquals("callback=a&utm_content=x;callback=alert(1)",
        QueryKey.normalise("callback=a&utm_content=x;callback=alert(1)", true, ignoring("utm_source")));
    assertEquals("%61=1", QueryKey.normalise("%61=1", false, ignoring("b")));
    assertNull(QueryKey.normalise("%61=1", false, ignoring("a")), "names compare decoded");
    assertEquals("%zz=1", QueryKey.normalise("%zz=1", false, ignoring("a")));
  }

  private static KeyParams ignoring(String... names) {
    return new KeyParams(java.util.Set.of(), java.util.Set.of(names), false);
  }

  @Test
  void keepListAndTrackingPresetLeaveParametersOutOfTheKeyAndHideThem() {
    KeyParams keep = new KeyParams(java.util.Set.of("q", "page"), java.util.Set.of(), false);
    assertEquals("page=2&q=shoes", QueryKey.normalise("q=shoes&x=1&page=2&utm_source=a", true, keep));
    assertEquals("q=shoes&page=2", QueryKey.visible("q=shoes&x=1&page=2&utm_source=a", keep));
    assertNull(QueryKey.normalise("x=1", false, keep));
    assertNull(QueryKey.visible("x=1", keep));
    KeyParams tracking = new KeyParams(java.util.Set.of(), java.util.Set.of("session"), true);
    assertEquals("id=7&session=s", QueryKey.visible("id=7&utm_campaign=c&gclid=g&session=s&fbclid=f&ref=r", tracking));
    assertEquals("id=7", QueryKey.normalise("id=7&utm_campaign=c&gclid=g&session=s&fbclid=f&ref=r", false, tracking));
    assertEquals("id=7", QueryKey.normalise("id=7&utm%5Fmedium=m&gad_source=1&dclid=d", false, tracking),
        "names compare decoded, and every utm_ parameter is tracking");
    assertEquals("utm=1&reference=2", QueryKey.visible("utm=1&reference=2", tracking), "only the preset's names");
    assertEquals("a=1&utm_source=x", QueryKey.visible("a=1&utm_source=x", KeyParams.ALL));
  }
}
