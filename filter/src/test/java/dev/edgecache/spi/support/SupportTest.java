package dev.edgecache.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.ObjectMeta;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The parts stores share: write tags, and stored objects made of their parts. */
class SupportTest {
  @Test
  void aWriteTagRoundTripsAndAnotherStoresTagIsNone() {
    assertEquals(OptionalLong.of(-42L), WriteTags.idOf(WriteTags.of(-42L)));
    assertEquals(OptionalLong.of(Long.MAX_VALUE), WriteTags.idOf(WriteTags.of(Long.MAX_VALUE)));
    assertTrue(WriteTags.idOf(null).isEmpty());
    assertTrue(WriteTags.idOf(new byte[7]).isEmpty());
    assertTrue(WriteTags.idOf(new byte[9]).isEmpty());
  }

  @Test
  void aViewCountsHitsOnlyWhenGivenACounterAndAsksForCompletenessEachTime() throws Exception {
    ObjectMeta meta = new ObjectMeta(ObjectMeta.Kind.OBJECT, 0, 0, 1000, 1000, 0, 0, 0, 3, List.of(), Set.of(),
        new byte[0], false, 0, 0, -1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong hits = new AtomicLong(5);
    StoredView counted = new StoredView(meta, 9, done::get, hits, () -> null);
    assertFalse(counted.complete());
    done.set(true);
    assertTrue(counted.complete());
    assertEquals(6, counted.recordHit());
    assertEquals(6, counted.hits());
    StoredView inProgress = new StoredView(meta, 9, () -> false, null, () -> null);
    assertEquals(0, inProgress.recordHit());
    assertEquals(0, inProgress.hits());
    assertEquals(meta, inProgress.meta());
    assertEquals(9, inProgress.writeId());
  }
}
