package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Query strings in keys. */
class QueryKeyTest {
  @Test
  void asItIsSortedOrWithout() {
    assertEquals("b=2&a=1", QueryKey.normalise("b=2&a=1", false, Set.of()));
    assertEquals("a=1&b=2", QueryKey.normalise("b=2&a=1", true, Set.of()));
    assertEquals("a=1&a=2&b=1", QueryKey.normalise("b=1&a=1&a=2", true, Set.of()));
    assertEquals("a=1", QueryKey.normalise("utm_source=x&a=1&utm%5Fsource=y", false, Set.of("utm_source")));
    assertNull(QueryKey.normalise(null, true, Set.of("a")));
    assertNull(QueryKey.normalise("utm_source=x", false, Set.of("utm_source")));
  }

  @Test
  void parserParityWithTheServlet() {
    // ';' is no separator to the Servlet API: the cloaked value stays in the key
    assertEquals("callback=a&utm_content=x;callback=alert(1)",
        QueryKey.normalise("callback=a&utm_content=x;callback=alert(1)", true, Set.of("utm_source")));
    assertEquals("%61=1", QueryKey.normalise("%61=1", false, Set.of("b")));
    assertNull(QueryKey.normalise("%61=1", false, Set.of("a")), "names compare decoded");
    assertEquals("%zz=1", QueryKey.normalise("%zz=1", false, Set.of("a")));
  }
}
