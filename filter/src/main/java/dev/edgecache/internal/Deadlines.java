package dev.edgecache.internal;

import java.util.concurrent.Future;

/**
 * Where the core's deadlines run (lock timeouts, waits, looks at a remote owner): the cache's
 * {@link dev.edgecache.Scheduler}, off its thread.
 */
interface Deadlines {
  /**
   * Runs {@code task} after {@code delayMillis}, off the scheduler's own thread; null, and never
   * run, once the cache has stopped.
   */
  Future<?> later(long delayMillis, Runnable task);

  /** Whether the cache has stopped: nothing new is scheduled, and nobody waits any more. */
  boolean stopped();
}
