package dev.edgecache.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvictionOrderTest {
  /** A record: its recency is set by the test, as commits and reads set the store's. */
  static final class Rec {
    long recency;

    Rec(long recency) {
      this.recency = recency;
    }
  }

  private final Map<String, Rec> store = new HashMap<>();
  private final EvictionOrder<String, Rec> order = new EvictionOrder<>(r -> r.recency, (k, r) -> store.get(k) == r);
  private long tick;

  private Rec commit(String key) {
    Rec r = new Rec(++tick);
    store.put(key, r);
    order.add(key, r, store.size());
    return r;
  }

  private String evictNext() {
    Map.Entry<String, Rec> e = order.next();
    if (e == null) {
      return null;
    }
    store.remove(e.getKey(), e.getValue());
    return e.getKey();
  }

  @Test
  void recordsGoInTheOrderOfTheirCommitsWhenNoneIsRead() {
    commit("a");
    commit("b");
    commit("c");
    assertEquals("a", evictNext());
    assertEquals("b", evictNext());
    assertEquals("c", evictNext());
    assertNull(evictNext());
  }

  @Test
  void aRecordReadSinceItWasQueuedStaysWhileAnUnreadOneGoes() {
    Rec a = commit("a");
    commit("b");
    commit("c");
    a.recency = ++tick; // read
    assertEquals("b", evictNext());
    assertEquals("c", evictNext());
    assertEquals("a", evictNext(), "read once: it goes when its second chance comes round unread");
  }

  @Test
  void aStoreWhoseEveryRecordWasReadStillGivesOne() {
    Rec a = commit("a");
    Rec b = commit("b");
    a.recency = ++tick;
    b.recency = ++tick;
    assertEquals("a", evictNext(), "each had its second chance; the oldest of them goes");
  }

  @Test
  void replacedAndRemovedRecordsAreSkipped() {
    commit("a");
    commit("b");
    commit("a"); // a new record for a: the first one's place is dead
    store.remove("b");
    assertEquals("a", evictNext());
    assertNull(evictNext());
  }

  @Test
  void deadPlacesDoNotPileUpInAStoreThatNeverFills() {
    for (int i = 0; i < 100_000; i++) {
      commit("same"); // each replaces the one before, and nothing is ever evicted
    }
    assertTrue(order.size() <= 2 * store.size() + 1025, "places kept: " + order.size());
  }
}
