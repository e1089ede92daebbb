package dev.edgecache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ObjectMeta built by field name: its defaults, and a copy changed field by field. */
class ObjectMetaBuilderTest {
  /** Every field, the metadata's bytes by value. */
  private static String fields(ObjectMeta m) {
    return m.toString().replaceAll("userMetadata=\\[B@[0-9a-f]+", "userMetadata=" + java.util.Arrays.toString(m.userMetadata()));
  }

  @Test
  void unsetFieldsAreThoseOfARecordJustMade() {
    ObjectMeta built = ObjectMeta.builder(ObjectMeta.Kind.OBJECT).createdAtMillis(10).maxAgeMillis(60_000)
        .freshForMillis(60_000).build();
    assertEquals(fields(new ObjectMeta(ObjectMeta.Kind.OBJECT, 10, 0, 60_000, 60_000, 0, 0, 0, -1, List.of(),
        Set.of(), new byte[0], false, 0, 0, -1)), fields(built));
    assertEquals(-1, built.length());
    assertEquals(-1, built.softPurgedAtMillis());
  }

  @Test
  void toBuilderKeepsEveryFieldButThoseChanged() {
    ObjectMeta meta = ObjectMeta.builder(ObjectMeta.Kind.OBJECT).createdAtMillis(1).initialAgeMillis(2)
        .maxAgeMillis(3).freshForMillis(4).staleWhileRevalidateMillis(5).staleIfErrorMillis(6).keepStaleMillis(7)
        .length(8).varyRule(List.of("accept")).surrogateKeys(Set.of("t")).userMetadata(new byte[] {9})
        .sensitive(true).epoch(10).generation(11).softPurgedAtMillis(12).scopeSerial(13)
        .scopeStamps(Map.of("host", 14L)).build();
    ObjectMeta copy = meta.toBuilder().generation(99).build();
    assertEquals(99, copy.generation());
    assertEquals(fields(meta.withGeneration(10, 99)), fields(copy));
    assertEquals(12, meta.withSoftPurge(20).softPurgedAtMillis(), "an earlier soft purge stands");
    assertEquals(Map.of("host", 14L), copy.scopeStamps());
  }
}
