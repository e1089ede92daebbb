package dev.edgecache.servlet;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where the origin's failures are counted and logged. Each failure is counted by kind; the log
 * gets a WARNING for the first, then at most one every {@value #LOG_INTERVAL_MILLIS} ms that says
 * how many came since, so that an origin down under load neither floods the log nor goes unseen.
 * Time comes from the cache's clock. Thread-safe.
 */
final class OriginFailures {
  static final Logger LOG = Logger.getLogger(OriginFailures.class.getName());
  /** The shortest time between two warnings. */
  static final long LOG_INTERVAL_MILLIS = 10_000;
  private final FilterStats stats;
  private final Clock clock;
  private long nextLogAtMillis = Long.MIN_VALUE;
  private long unlogged;
  private long unloggedSinceMillis;

  OriginFailures(FilterStats stats, Clock clock) {
    this.stats = stats;
    this.clock = clock;
  }

  /** Counts a failure of the origin, and logs it unless one was logged within the interval. */
  void failed(OriginFailure kind, String why) {
    long now = clock.millis();
    stats.originFailed(kind, why, now);
    String message;
    synchronized (this) {
      if (now < nextLogAtMillis) {
        if (unlogged++ == 0) {
          unloggedSinceMillis = now;
        }
        return;
      }
      message = "origin failed (" + kind.label() + "): " + why
          + (unlogged == 0 ? "" : "; " + unlogged + " more origin failures since " + Instant.ofEpochMilli(unloggedSinceMillis));
      unlogged = 0;
      nextLogAtMillis = now + LOG_INTERVAL_MILLIS;
    }
    LOG.log(Level.WARNING, message);
  }
}
