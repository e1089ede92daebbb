package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TargetFormTest {
  @Test
  void aValidQueryIsItsOwnCanonicalForm() {
    String q = "a=1&b=%7C&c=/x?y:@!$'()*+,;=";
    assertSame(q, TargetForm.canonicalQuery(q));
    assertNull(TargetForm.canonicalQuery(null));
  }

  @Test
  void printableCharactersNoUriMayHoldAreEscapedAsTheirOnlyValidSpelling() {
    assertEquals("q=%7B%22a%22:1%7D&x=1%7C2%5E%60%5C%3C%3E", TargetForm.canonicalQuery("q={\"a\":1}&x=1|2^`\\<>"));
    assertEquals(TargetForm.canonicalQuery("a=%7C"), TargetForm.canonicalQuery("a=|"));
  }

  @Test
  void aQueryWithRawBytesOrABadEscapeHasNoCanonicalForm() {
    assertNull(TargetForm.canonicalQuery("a=\u00e9"));
    assertNull(TargetForm.canonicalQuery("a=\ufffd"));
    assertNull(TargetForm.canonicalQuery("a=%zz"));
    assertNull(TargetForm.canonicalQuery("a=%4"));
    assertNull(TargetForm.canonicalQuery("a=b\tc"));
  }

  @Test
  void anythingCanBeForwardedAsAValidUri() {
    assertEquals("a=%C3%A9&b=%25zz&c=%7C%F0%9F%98%80", TargetForm.forwardable("a=\u00e9&b=%zz&c=|\ud83d\ude00", true));
    assertEquals("/a%7Cb/%3F/c;d", TargetForm.forwardable("/a|b/?/c;d", false));
    assertEquals("/ok%20", TargetForm.forwardable("/ok%20", false));
  }
}
