package dev.edgecache.spi.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-blocking readers of a write in progress that wait for it to move on
 * ({@code HitHandler.whenReadable}): each is told once, after the writer's next step. Not
 * thread-safe: {@link #add} and {@link #take} run under the writer's monitor, {@link #run}
 * outside it, on the writer's thread, where a callback only schedules the reading.
 */
public final class ReadyCallbacks {
  private List<Runnable> waiting = List.of();

  /** Adds a reader to tell. */
  public void add(Runnable ready) {
    if (waiting.isEmpty()) {
      waiting = new ArrayList<>(4);
    }
    waiting.add(ready);
  }

  /** The readers to tell of the writer's last step; each is taken once. */
  public List<Runnable> take() {
    List<Runnable> told = waiting;
    waiting = List.of();
    return told;
  }

  /** Tells them; one reader's failure is not the writer's, nor the other readers'. */
  public static void run(List<Runnable> told) {
    for (Runnable r : told) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // the reader's own problem
      }
    }
  }
}
