package dev.edgecache.servlet;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the filter's outcomes; cheap on every request. Thread-safe. */
public final class FilterStats implements FilterStatsMXBean {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder collapsed = new LongAdder();
  final LongAdder originFetches = new LongAdder();
  final LongAdder stored = new LongAdder();
  final LongAdder bypassed = new LongAdder();

  /** Made by the filter, which counts into it. */
  FilterStats() {}

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long staleServed() {
    return staleServed.sum();
  }

  /** Requests that waited for another request's fill and streamed it. */
  public long collapsed() {
    return collapsed.sum();
  }

  public long originFetches() {
    return originFetches.sum();
  }

  public long stored() {
    return stored.sum();
  }

  public long bypassed() {
    return bypassed.sum();
  }

  @Override
  public long getHits() {
    return hits();
  }

  @Override
  public long getMisses() {
    return misses();
  }

  @Override
  public long getStaleServed() {
    return staleServed();
  }

  @Override
  public long getCollapsed() {
    return collapsed();
  }

  @Override
  public long getOriginFetches() {
    return originFetches();
  }

  @Override
  public long getStored() {
    return stored();
  }

  @Override
  public long getBypassed() {
    return bypassed();
  }

  /** The counters as a JSON object. */
  public String toJson() {
    return "{\"hits\":" + hits() + ",\"misses\":" + misses() + ",\"staleServed\":" + staleServed()
        + ",\"collapsed\":" + collapsed() + ",\"originFetches\":" + originFetches()
        + ",\"stored\":" + stored() + ",\"bypassed\":" + bypassed() + "}";
  }
}
