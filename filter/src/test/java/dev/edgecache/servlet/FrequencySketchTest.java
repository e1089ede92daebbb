package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrequencySketchTest {
  @Test
  void countsEachKeyUpToFifteen() {
    FrequencySketch sketch = new FrequencySketch(1024);
    assertEquals(0, sketch.frequency(42));
    for (int i = 1; i <= 20; i++) {
      sketch.increment(42);
      assertEquals(Math.min(i, FrequencySketch.MAX_COUNT), sketch.frequency(42));
    }
  }

  @Test
  void otherKeysAreRarelyCountedWithIt() {
    FrequencySketch sketch = new FrequencySketch(1024);
    for (int i = 0; i < 5; i++) {
      sketch.increment(7);
    }
    int counted = 0;
    for (long k = 1000; k < 2000; k++) {
      if (sketch.frequency(k) > 0) {
        counted++;
      }
    }
    // four rows must all collide: a count-min sketch this full almost never does
    assertTrue(counted < 5, counted + " of 1,000 other keys seem counted");
  }

  @Test
  void countsAreHalvedOnceTheSampleIsCounted() {
    FrequencySketch sketch = new FrequencySketch(64); // 64 longs, a sample of 640
    for (int i = 0; i < 8; i++) {
      sketch.increment(-1);
    }
    assertEquals(8, sketch.frequency(-1));
    // a stream of keys seen once each fills the sample
    for (long k = 0; k < 700; k++) {
      sketch.increment(k * 7919);
    }
    // halved once: (8 + what the others added to its counters) / 2, the least of four rows
    int now = sketch.frequency(-1);
    assertTrue(now < 8, "old popularity fades: " + now);
  }
}
