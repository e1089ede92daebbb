package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
  private static AcceptEncoding ae(String... lines) {
    return AcceptEncoding.parse(List.of(lines));
  }

  @Test
  void weightsStarsAndAliases() {
    assertTrue(ae("gzip, deflate").accepts("gzip"));
    assertTrue(ae("x-gzip").accepts("gzip"));
    assertFalse(ae("gzip;q=0, br").accepts("gzip"));
    assertTrue(ae("gzip;q=0.001").accepts("gzip"));
    assertTrue(ae("*").accepts("zstd"));
    assertFalse(ae("*;q=0").accepts("gzip"));
    assertFalse(ae("*;q=0").accepts("identity"));
    assertTrue(ae("*;q=0, identity").accepts("identity"));
    assertFalse(ae("identity;q=0").accepts("identity"));
    assertTrue(ae("br").accepts("identity"), "identity is taken unless excluded");
    assertFalse(ae("gzip;q=x").accepts("gzip"), "a weight that cannot be read takes nothing");
    assertFalse(ae("gzip;q=2").accepts("gzip"));
    assertTrue(AcceptEncoding.parse(List.of()).accepts("gzip"), "an absent field takes any coding");
    assertFalse(AcceptEncoding.parse(List.of()).asksFor("gzip"), "but asks for none");
    assertTrue(ae("GZIP").asksFor("gzip"));
  }

  @Test
  void aVariantKeyIsTheSetOfCodingsTaken() {
    assertEquals(ae("gzip, deflate, br").variantKey(), ae("br;q=1.0, deflate;q=0.5", "GZIP").variantKey());
    assertEquals("br,deflate,gzip", ae("gzip, deflate, br, x-unknown").variantKey());
    assertEquals("identity", ae("identity").variantKey());
    assertEquals(ae("identity").variantKey(), ae("x-unknown;q=1").variantKey());
    assertNotEquals(ae("gzip").variantKey(), ae("gzip, br").variantKey());
    assertNotEquals(ae("gzip").variantKey(), ae("gzip, identity;q=0").variantKey());
    assertEquals(List.of("gzip"), VaryRule.normalise("Accept-Encoding", List.of("gzip;q=1", "x-gzip")));
  }
}
