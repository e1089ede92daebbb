package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreloadLinksTest {
  @Test
  void preloadAndPreconnectLinksAreKept() {
    assertEquals(List.of("</a.css>; rel=preload; as=style", "<https://cdn.example>; rel=\"preconnect\""),
        PreloadLinks.of(List.of("</a.css>; rel=preload; as=style, </next>; rel=next",
            "<https://cdn.example>; rel=\"preconnect\"")));
    assertEquals(List.of("</f.woff2>; rel=\"preload prefetch\"; as=font; crossorigin"),
        PreloadLinks.of(List.of("</f.woff2>; rel=\"preload prefetch\"; as=font; crossorigin")));
    // a comma inside the target or a quoted parameter does not split a link
    assertEquals(List.of("</a,b.css>; rel=preload; title=\"x, y\""),
        PreloadLinks.of(List.of("</a,b.css>; rel=preload; title=\"x, y\"")));
  }

  @Test
  void anythingElseIsNotHinted() {
    assertEquals(List.of(), PreloadLinks.of(List.of("</next>; rel=next", "</a.css>; as=style")));
    assertEquals(List.of(), PreloadLinks.of(List.of("</a.css; rel=preload")), "an unclosed target");
    assertEquals(List.of(), PreloadLinks.of(List.of("rel=preload")));
    assertEquals(List.of(), PreloadLinks.of(List.of("</a.css>; rel=preload\r\nX-Injected: 1")));
    assertEquals(PreloadLinks.MAX_LINKS,
        PreloadLinks.of(List.of("</a>; rel=preload, ".repeat(40))).size());
  }
}
