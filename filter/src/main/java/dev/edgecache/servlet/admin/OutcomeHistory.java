package dev.edgecache.servlet.admin;

import dev.edgecache.servlet.FilterStats;

import java.util.ArrayDeque;

/**
 * Requests by outcome over the last minutes, for the status page: every {@value #INTERVAL_SECONDS}
 * seconds {@link #tick} adds a slot with what the counters gained since the previous tick, and
 * the oldest slot past {@value #SLOTS} goes. Ticks come from the filter's timer; the clock's time
 * labels each slot. Thread-safe.
 */
public final class OutcomeHistory {
  public static final int INTERVAL_SECONDS = 10;
  /** Ten minutes of slots. */
  public static final int SLOTS = 60;
  private static final String[] OUTCOMES = {"hits", "stale", "collapsed", "misses", "bypassed"};

  private final FilterStats stats;
  private final ArrayDeque<long[]> slots = new ArrayDeque<>();
  private long[] base;
  private long baseMillis;

  /** A history of {@code stats}, starting now. */
  public OutcomeHistory(FilterStats stats, long nowMillis) {
    this.stats = stats;
    this.base = counts(stats);
    this.baseMillis = nowMillis;
  }

  private static long[] counts(FilterStats s) {
    return new long[] {s.hits(), s.staleServed(), s.collapsed(), s.misses(), s.bypassed()};
  }

  /** Closes the slot that ends at {@code nowMillis}. */
  public synchronized void tick(long nowMillis) {
    long[] now = counts(stats);
    long[] slot = new long[OUTCOMES.length + 1];
    slot[0] = nowMillis;
    for (int i = 0; i < OUTCOMES.length; i++) {
      slot[i + 1] = now[i] - base[i];
    }
    slots.addLast(slot);
    while (slots.size() > SLOTS) {
      slots.removeFirst();
    }
    base = now;
    baseMillis = nowMillis;
  }

  /**
   * As JSON: the interval, the outcomes in order, each closed slot as its end time (epoch millis)
   * then one count per outcome, and the counters at the last tick, from which a reader works out
   * the slot still open.
   */
  public synchronized String toJson() {
    StringBuilder out = new StringBuilder(64 + slots.size() * 48);
    out.append("{\"intervalSeconds\":").append(INTERVAL_SECONDS).append(",\"outcomes\":[");
    for (int i = 0; i < OUTCOMES.length; i++) {
      out.append(i == 0 ? "" : ",").append('"').append(OUTCOMES[i]).append('"');
    }
    out.append("],\"slots\":[");
    boolean first = true;
    for (long[] slot : slots) {
      out.append(first ? "[" : ",[");
      first = false;
      for (int i = 0; i < slot.length; i++) {
        out.append(i == 0 ? "" : ",").append(slot[i]);
      }
      out.append(']');
    }
    out.append("],\"baseMillis\":").append(baseMillis).append(",\"base\":[");
    for (int i = 0; i < base.length; i++) {
      out.append(i == 0 ? "" : ",").append(base[i]);
    }
    return out.append("]}").toString();
  }
}
