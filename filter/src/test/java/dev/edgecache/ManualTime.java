package dev.edgecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A clock and a scheduler that tests move by hand: {@link #advance} moves the clock and runs
 * every task that has come due, in the order of their due times. Thread-safe.
 */
public final class ManualTime implements Scheduler {
  private final MutableClock clock = new MutableClock();
  private final List<Due> queue = new ArrayList<>();
  private long sequence;

  private record Due(long atMillis, long order, FutureTask<?> task) {}

  public MutableClock clock() {
    return clock;
  }

  @Override
  public synchronized Future<?> schedule(Runnable task, Duration delay) {
    FutureTask<?> f = new FutureTask<>(task, null);
    queue.add(new Due(clock.millis() + delay.toMillis(), sequence++, f));
    return f;
  }

  /** How many tasks wait, not cancelled. */
  public synchronized int pending() {
    return (int) queue.stream().filter(d -> !d.task().isCancelled()).count();
  }

  /** Moves the clock by {@code d}, running each task due on the way at its due time. */
  public void advance(Duration d) {
    long end = clock.millis() + d.toMillis();
    while (true) {
      Due next;
      synchronized (this) {
        next = queue.stream().filter(x -> x.atMillis() <= end)
            .min((a, b) -> a.atMillis() != b.atMillis() ? Long.compare(a.atMillis(), b.atMillis())
                : Long.compare(a.order(), b.order()))
            .orElse(null);
        if (next == null) {
          break;
        }
        queue.remove(next);
        if (next.atMillis() > clock.millis()) {
          clock.advance(Duration.ofMillis(next.atMillis() - clock.millis()));
        }
      }
      next.task().run();
    }
    long left = end - clock.millis();
    if (left > 0) {
      clock.advance(Duration.ofMillis(left));
    }
  }
}
