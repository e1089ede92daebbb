package dev.edgecache.servlet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/** Counters of the filter's outcomes; cheap on every request. Thread-safe. */
public final class FilterStats implements FilterStatsMXBean {
  /** Upper bounds of the origin latency buckets, in milliseconds (Prometheus's {@code le}). */
  public static final long[] LATENCY_BOUNDS_MILLIS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder collapsed = new LongAdder();
  /** Every request sent to the origin, whatever its method and whatever became of it. */
  final LongAdder originRequests = new LongAdder();
  /** Requests sent to the origin to fill or refresh the cache. */
  final LongAdder originFills = new LongAdder();
  final LongAdder stored = new LongAdder();
  final LongAdder bypassed = new LongAdder();
  final LongAdder bytesFromCache = new LongAdder();
  final LongAdder bytesFromOrigin = new LongAdder();
  /** Requests that bypassed the cache, by reason (the {@code Cache-Status} detail). */
  final Tally passes = new Tally(KNOWN_PASSES);
  /** Origin responses that were not stored, by the storage decision. */
  final Tally notStored = new Tally(knownNotStored());
  /** Purges through the admin path and the {@code PURGE} method, by what they named. */
  final Tally purges = new Tally(java.util.List.of("url", "tag", "prefix", "host", "all"));
  /** Origin failures by kind ({@link OriginFailure}). */
  final Tally originErrors = new Tally(java.util.Arrays.stream(OriginFailure.values()).map(OriginFailure::label).toList());
  /** Origin responses by status class: {@code 1xx} to {@code 5xx}. */
  final Tally originResponses = new Tally(java.util.List.of("1xx", "2xx", "3xx", "4xx", "5xx"));
  /** The last origin failure, or null. */
  private volatile LastFailure lastOriginFailure;
  /** The last purge over HTTP, or null. */
  private volatile LastPurge lastPurge;

  /**
   * The last purge asked for over HTTP.
   *
   * @param atMillis when, by the cache's clock
   * @param kind what its last item named: {@code url}, {@code tag}, {@code prefix}, {@code host}, {@code all}
   */
  public record LastPurge(long atMillis, String kind) {}

  /**
   * The pass reasons the filter gives, each counted from 0 so that a rate over them sees the
   * first (a label that first appears with its first event is invisible to {@code increase()}).
   */
  static final java.util.List<String> KNOWN_PASSES = java.util.List.of("method", "upgrade", "body", "override",
      "target", "request", "key too long", "lookup failed", "unreadable object", "fill failed",
      "stored body unreadable", "store failed");

  private static java.util.List<String> knownNotStored() {
    java.util.List<String> reasons = new java.util.ArrayList<>();
    for (dev.edgecache.http.StorePolicy.Decision d : dev.edgecache.http.StorePolicy.Decision.values()) {
      if (d != dev.edgecache.http.StorePolicy.Decision.STORE) {
        reasons.add(d.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    reasons.add("store-refused");
    reasons.add("store-unavailable");
    reasons.add("head-refused");
    reasons.add("admission");
    reasons.add("encoders-busy");
    return reasons;
  }

  /**
   * The last failure of the origin.
   *
   * @param atMillis when, by the cache's clock
   * @param kind how
   * @param why what was seen
   */
  public record LastFailure(long atMillis, OriginFailure kind, String why) {}
  private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BOUNDS_MILLIS.length + 1];
  private final LongAdder latencyNanos = new LongAdder();
  private volatile LongConsumer latencyHook = n -> {};

  {
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  /**
   * Counts by a label the code names (a reason, a kind), never one a request chose, so that
   * the number of labels stays small.
   */
  public static final class Tally {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, LongAdder> onNew = (label, count) -> {};

    /** A tally with each of {@code known} counted from 0. */
    Tally(java.util.List<String> known) {
      for (String label : known) {
        counts.put(label, new LongAdder());
      }
    }

    void add(String label) {
      LongAdder c = counts.get(label);
      if (c == null) {
        c = counts.computeIfAbsent(label, l -> {
          LongAdder made = new LongAdder();
          onNew.accept(l, made);
          return made;
        });
      }
      c.increment();
    }

    /** The counts so far, by label in order. */
    public Map<String, Long> counts() {
      Map<String, Long> out = new TreeMap<>();
      counts.forEach((label, count) -> out.put(label, count.sum()));
      return out;
    }

    /** Tells {@code hook} of every label, those counted already and each new one as it comes. */
    synchronized void onEachLabel(BiConsumer<String, LongAdder> hook) {
      BiConsumer<String, LongAdder> before = onNew;
      onNew = before.andThen(hook);
      counts.forEach(hook);
    }
  }

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

  /** Every request sent to the origin, whatever its method and whatever became of it. */
  public long originRequests() {
    return originRequests.sum();
  }

  /** Requests sent to the origin to fill or refresh the cache (misses and revalidations). */
  public long originFills() {
    return originFills.sum();
  }

  /** Origin failures by kind: {@code connect}, {@code timeout}, {@code reset}, {@code protocol}. */
  public Map<String, Long> originErrors() {
    return originErrors.counts();
  }

  /** Origin responses by status class, {@code 1xx} to {@code 5xx}. */
  public Map<String, Long> originResponses() {
    return originResponses.counts();
  }

  /** Counts a purge item of {@code kind}, asked for at {@code atMillis}. */
  void purged(String kind, long atMillis) {
    purges.add(kind);
    lastPurge = new LastPurge(atMillis, kind);
  }

  /** The last purge over HTTP; null if none. */
  public LastPurge lastPurge() {
    return lastPurge;
  }

  /** The last failure of the origin; null if none. */
  public LastFailure lastOriginFailure() {
    return lastOriginFailure;
  }

  void originFailed(OriginFailure kind, String why, long atMillis) {
    originErrors.add(kind.label());
    lastOriginFailure = new LastFailure(atMillis, kind, why);
  }

  /** Counts an origin response by its status class. */
  void originResponded(int status) {
    if (status >= 100 && status < 600) {
      originResponses.add((status / 100) + "xx");
    }
  }

  public long stored() {
    return stored.sum();
  }

  public long bypassed() {
    return bypassed.sum();
  }

  /** Body bytes served from the cache. */
  public long bytesFromCache() {
    return bytesFromCache.sum();
  }

  /** Body bytes the origin answered with (filled, passed, or refreshed in the background). */
  public long bytesFromOrigin() {
    return bytesFromOrigin.sum();
  }

  /** Requests that bypassed the cache, by reason. */
  public Map<String, Long> passes() {
    return passes.counts();
  }

  /** Origin responses not stored, by reason (a storage decision: {@code no_store}, {@code private}...). */
  public Map<String, Long> notStored() {
    return notStored.counts();
  }

  /** Purges asked for over HTTP, by kind ({@code url}, {@code tag}, {@code prefix}, {@code host}, {@code all}). */
  public Map<String, Long> purges() {
    return purges.counts();
  }

  /** Records how long the origin took to answer with its status and fields. */
  void originAnswered(long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    int i = 0;
    while (i < LATENCY_BOUNDS_MILLIS.length && millis > LATENCY_BOUNDS_MILLIS[i]) {
      i++;
    }
    latencyBuckets[i].increment();
    latencyNanos.add(nanos);
    latencyHook.accept(nanos);
  }

  /**
   * Origin answers by latency bucket: element {@code i} counts those within
   * {@code LATENCY_BOUNDS_MILLIS[i]} and above the bound before; the last, those above every bound.
   */
  public long[] originLatencyBuckets() {
    long[] out = new long[latencyBuckets.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = latencyBuckets[i].sum();
    }
    return out;
  }

  /** The sum of every recorded origin latency, in nanoseconds. */
  public long originLatencyNanos() {
    return latencyNanos.sum();
  }

  /** Also gives every origin latency to {@code hook} (a meter registry's timer). */
  void onOriginLatency(LongConsumer hook) {
    LongConsumer before = latencyHook;
    latencyHook = before.andThen(hook);
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
  public long getOriginRequests() {
    return originRequests();
  }

  @Override
  public long getOriginFills() {
    return originFills();
  }

  @Override
  public long getStored() {
    return stored();
  }

  @Override
  public long getBypassed() {
    return bypassed();
  }

  @Override
  public long getBytesFromCache() {
    return bytesFromCache();
  }

  @Override
  public long getBytesFromOrigin() {
    return bytesFromOrigin();
  }
}
