package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartialContentTest {
  private static StoredHead head(int status, String... namesAndValues) {
    List<StoredHead.Field> fields = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.add(new StoredHead.Field(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new StoredHead(status, fields);
  }

  @Test
  void aSingleRangeOfAKnownLengthIsHeld() {
    PartialContent p = PartialContent.of(head(206, "content-range", "bytes 4-9/10")).orElseThrow();
    assertEquals(new PartialContent(4, 9, 10), p);
    assertEquals(6, p.length());
    assertTrue(p.describes(6));
    assertFalse(p.describes(7));
    assertFalse(p.whole());
    assertTrue(PartialContent.of(head(206, "content-range", "BYTES 0-9/10")).orElseThrow().whole());
  }

  @Test
  void anythingElseHoldsNothing() {
    for (String bad : List.of("bytes 0-4/*", "bytes */10", "bytes 5-4/10", "bytes 0-10/10", "items 0-4/10",
        "bytes 0-4", "bytes -1-4/10", "bytes 0-4/1e3", "bytes 0-99999999999999999999/100000000000000000000")) {
      assertEquals(Optional.empty(), PartialContent.of(head(206, "content-range", bad)), bad);
    }
    assertEquals(Optional.empty(), PartialContent.of(head(200, "content-range", "bytes 0-4/10")));
    assertEquals(Optional.empty(), PartialContent.of(head(206)));
    assertEquals(Optional.empty(),
        PartialContent.of(head(206, "content-range", "bytes 0-4/10", "content-range", "bytes 5-9/10")));
    assertEquals(Optional.empty(), PartialContent.of(head(206, "content-range", "bytes 0-4/10",
        "content-type", "multipart/byteranges; boundary=x")));
  }

  @Test
  void itAnswersOneRangeWhollyWithinIt() {
    PartialContent p = new PartialContent(4, 9, 10);
    assertEquals(Optional.of(new ByteRanges.Range(6, 8)), p.answers("bytes=6-8"));
    assertEquals(Optional.of(new ByteRanges.Range(6, 9)), p.answers("bytes=6-"));
    assertEquals(Optional.of(new ByteRanges.Range(9, 9)), p.answers("bytes=-1"));
    assertEquals(Optional.of(new ByteRanges.Range(4, 9)), p.answers("bytes=-6"));
    assertEquals(Optional.empty(), p.answers("bytes=-7"));
    assertEquals(Optional.empty(), p.answers("bytes=3-5"));
    assertEquals(Optional.empty(), p.answers("bytes=4-5, 7-8"));
    assertEquals(Optional.empty(), p.answers("bytes=10-"));
    assertEquals(Optional.empty(), p.answers(null));
  }

  @Test
  void aSingleRangeIsOneAnyRepresentationCanSatisfy() {
    assertTrue(ByteRanges.single("bytes=-5"));
    assertTrue(ByteRanges.single("bytes=0-"));
    assertTrue(ByteRanges.single("bytes = 2-3"));
    assertFalse(ByteRanges.single("bytes=0-1,3-4"));
    assertFalse(ByteRanges.single("bytes=-0"));
    assertFalse(ByteRanges.single("bytes=3-1"));
    assertFalse(ByteRanges.single("items=0-1"));
    assertFalse(ByteRanges.single(null));
  }
}
