package dev.edgecache.sample.launcher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the time a client may take to send one whole request head, as Varnish's
 * {@code timeout_req} and nginx's {@code client_header_timeout} do: the idle timeout alone lets a
 * client that sends one byte at a time hold a connection for ever (slowloris), since each byte
 * starts it again. A connection whose head has been arriving for longer than the bound is closed.
 *
 * <p>The connector's scheduler looks at every open HTTP/1 connection a few times per bound: a
 * connection counts as receiving a head while its parser has left its start and not reached the
 * content or the end; the head is the same one as long as the count of requests the connection
 * has read stays the same.
 */
final class RequestHeadDeadline extends AbstractLifeCycle implements Connection.Listener {
  private final Duration bound;
  private final Scheduler scheduler;
  private final LongSupplier nanoTime;
  private final Map<HttpConnection, Head> heads = new ConcurrentHashMap<>();
  private volatile Scheduler.Task next;

  /** A head seen arriving: which request of its connection, and since when. */
  private record Head(long request, long sinceNanos) {}

  /**
   * @param bound the longest a request head may take to arrive
   * @param scheduler where the connections are looked at
   * @param nanoTime the clock the bound is measured by
   */
  RequestHeadDeadline(Duration bound, Scheduler scheduler, LongSupplier nanoTime) {
    this.bound = bound;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      heads.put(http, new Head(-1, 0));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    heads.remove(connection);
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
    heads.clear();
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      long period = Math.max(50, bound.toMillis() / 4);
      next = scheduler.schedule(this::sweep, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Looks at every connection once; closes those whose head has taken longer than the bound. */
  void sweep() {
    try {
      long now = nanoTime.getAsLong();
      heads.replaceAll((connection, seen) -> {
        if (!receivingHead(connection)) {
          return new Head(-1, 0);
        }
        long request = connection.getMessagesIn();
        if (seen.request() != request) {
          return new Head(request, now);
        }
        if (now - seen.sinceNanos() > bound.toNanos()) {
          connection.getEndPoint().close();
        }
        return seen;
      });
    } finally {
      schedule();
    }
  }

  private static boolean receivingHead(HttpConnection connection) {
    var parser = connection.getParser();
    return parser.inHeaderState() && !parser.isStart() && !parser.isClosed();
  }
}
