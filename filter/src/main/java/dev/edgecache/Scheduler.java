package dev.edgecache;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs the cache's deadlines: a key owner's lock timeout, how long a queued lookup waits, the next
 * look at an owner on another node. The cache reads time from its {@link java.time.Clock} and
 * waits through this, so that tests can move both by hand, with no thread sleeping.
 *
 * <p>The default is a timer thread of the cache's own, stopped when the cache closes. A scheduler
 * given to {@link EdgeCacheBuilder#scheduler} belongs to its caller: the cache never shuts it
 * down, and cancels what it scheduled as it no longer needs it. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface Scheduler {
  /**
   * Runs {@code task} once, after {@code delay} has passed.
   *
   * @param task what to run; it returns quickly (the cache hands any waiting to its own threads)
   * @param delay how long from now; zero or more
   * @return a handle whose {@code cancel(false)} keeps the task from running if it has not begun
   * @throws java.util.concurrent.RejectedExecutionException if the scheduler no longer takes work
   */
  Future<?> schedule(Runnable task, Duration delay);
}
