package dev.edgecache.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory store's generation counters stay bounded: kept for their retention after last use. */
class MemoryGenerationsTest {
  private final MutableClock clock = new MutableClock();
  private final MemoryGenerations generations = new MemoryGenerations(clock, Duration.ofDays(30));

  @Test
  void aCounterUntouchedForItsRetentionGoesAndReadsZeroAgain() {
    CacheKey purged = CacheKey.of("/purged");
    CacheKey snapshotted = CacheKey.of("/snapshotted");
    assertEquals(1, generations.bump(purged));
    generations.track(snapshotted);
    clock.advance(Duration.ofDays(20));
    generations.track(snapshotted); // used again: kept
    clock.advance(Duration.ofDays(11));
    generations.bump(CacheKey.of("/other")); // a sweep runs with the next move
    assertFalse(generations.tracked(purged), "31 days untouched");
    assertEquals(0, generations.current(purged));
    assertTrue(generations.tracked(snapshotted), "touched 11 days ago");
    assertEquals(2, generations.size());
  }
}
