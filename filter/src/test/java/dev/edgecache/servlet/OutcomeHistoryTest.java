package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.servlet.admin.OutcomeHistory;
import org.junit.jupiter.api.Test;

class OutcomeHistoryTest {
  @Test
  void eachTickClosesASlotWithWhatTheCountersGainedAndTheOldestGo() {
    FilterStats stats = new FilterStats();
    OutcomeHistory history = new OutcomeHistory(stats, 1_000);
    stats.hits.add(5);
    stats.misses.add(2);
    history.tick(11_000);
    stats.hits.add(1);
    stats.bypassed.increment();
    history.tick(21_000);
    stats.hits.add(4);
    String json = history.toJson();
    assertTrue(json.contains("\"slots\":[[11000,5,0,0,2,0],[21000,1,0,0,0,1]]"), json);
    assertTrue(json.contains("\"baseMillis\":21000,\"base\":[6,0,0,2,1]"), json);
    for (int i = 0; i < OutcomeHistory.SLOTS + 5; i++) {
      history.tick(31_000 + i * 10_000L);
    }
    long slots = json(history).chars().filter(c -> c == '[').count() - 3; // outcomes, slots, base
    assertEquals(OutcomeHistory.SLOTS, slots);
    assertFalse(json(history).contains("[31000,4,0,0,0,0]"), "the oldest slots went");
  }

  private static String json(OutcomeHistory h) {
    return h.toJson();
  }
}
