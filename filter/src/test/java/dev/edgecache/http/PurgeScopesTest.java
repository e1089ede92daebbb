package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PurgeScopesTest {
  private static List<String> of(String host, String path) {
    return PurgeScopes.of(new RequestKey("https", host, 443, path, null));
  }

  @Test
  void anObjectIsInItsHostsScopeAndInEachPrefixAboveIt() {
    assertEquals(List.of(PurgeScopes.host("shop.example"), PurgeScopes.prefix("shop.example", "/blog"),
        PurgeScopes.prefix("shop.example", "/blog/2026"), PurgeScopes.prefix("shop.example", "/blog/2026/post")),
        of("Shop.Example", "/blog/2026/post"));
    assertEquals(List.of(PurgeScopes.host("shop.example")), of("shop.example", "/"));
  }

  @Test
  void aPrefixCoversItselfAndWhatIsUnderItButNotItsSiblings() {
    String blog = PurgeScopes.prefix("shop.example", "/blog");
    assertEquals(blog, PurgeScopes.prefix("shop.example", "/blog/"));
    assertTrue(of("shop.example", "/blog").contains(blog));
    assertTrue(of("shop.example", "/blog/").contains(blog));
    assertTrue(of("shop.example", "/blog/a/b").contains(blog));
    assertFalse(of("shop.example", "/blogroll").contains(blog));
    assertFalse(of("other.example", "/blog").contains(blog));
    assertEquals(PurgeScopes.host("shop.example"), PurgeScopes.prefix("SHOP.example", "/"));
  }

  @Test
  void deepPrefixesPurgeTheirAncestorAtTheDepthLimit() {
    String deep = "/1/2/3/4/5/6/7/8/9/10";
    List<String> scopes = of("h", deep);
    assertEquals(1 + PurgeScopes.MAX_DEPTH, scopes.size());
    assertEquals(PurgeScopes.prefix("h", "/1/2/3/4/5/6/7/8"), scopes.get(scopes.size() - 1));
    assertEquals(PurgeScopes.prefix("h", "/1/2/3/4/5/6/7/8"), PurgeScopes.prefix("h", deep));
    assertTrue(of("h", "/1/2/3/4/5/6/7/8/other").contains(PurgeScopes.prefix("h", deep)),
        "over-purges, never under-purges");
  }

  @Test
  void noHostAndPathReadAsAnother() {
    assertNotEquals(PurgeScopes.prefix("a", "/b.c/d"), PurgeScopes.prefix("a/b.c", "/d"));
    assertNotEquals(PurgeScopes.host("a"), PurgeScopes.prefix("a", "/x"));
    assertThrows(IllegalArgumentException.class, () -> PurgeScopes.prefix("a", "blog"));
    assertThrows(IllegalArgumentException.class, () -> PurgeScopes.prefix("a", ""));
  }

  @Test
  void emptySegmentsAgreeBetweenObjectsAndPrefixes() {
    assertTrue(of("h", "/a//b").contains(PurgeScopes.prefix("h", "/a//")));
    assertTrue(of("h", "/a//b").contains(PurgeScopes.prefix("h", "/a//b")));
  }

  @Test
  void aPathTooLongForAScopeIsInItsAncestorsScopesAndItsPurgeIsTheirs() {
    String longSegment = "x".repeat(dev.edgecache.WriteOptions.MAX_PURGE_SCOPE_LENGTH);
    List<String> scopes = of("h", "/docs/" + longSegment + "/page");
    assertEquals(List.of(PurgeScopes.host("h"), PurgeScopes.prefix("h", "/docs")), scopes);
    assertEquals(PurgeScopes.prefix("h", "/docs"), PurgeScopes.prefix("h", "/docs/" + longSegment + "/page"));
    scopes.forEach(dev.edgecache.WriteOptions::checkPurgeScope);
    assertEquals(List.of(), of("h".repeat(5000), "/a"), "a host longer than any: no scope");
  }
}
