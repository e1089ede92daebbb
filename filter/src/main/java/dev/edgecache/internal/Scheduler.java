package dev.edgecache.internal;

import java.util.concurrent.ScheduledFuture;

/**
 * Where the core's deadlines run (lock timeouts, waits, looks at a remote owner): the cache's
 * timer, or a test's own time.
 */
interface Scheduler {
  /**
   * Runs {@code task} after {@code delayMillis}, off the timer's own thread; null, and never
   * run, once the cache has stopped.
   */
  ScheduledFuture<?> later(long delayMillis, Runnable task);

  /** Whether the cache has stopped: nothing new is scheduled, and nobody waits any more. */
  boolean stopped();
}
