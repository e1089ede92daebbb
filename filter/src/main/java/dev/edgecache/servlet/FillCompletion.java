package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.RequestDispatcher;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Ends the fill of an async request, once: when the application calls {@code complete()} (seen
 * through {@link CompletionAwareRequest}), or else when the container reports the completion,
 * an error or a timeout; then ends the transaction.
 *
 * <p>The fill ends at {@code complete()} itself rather than at the container's
 * {@code onComplete}, because containers run that listener on their worker pool: on Undertow,
 * with every worker taken by requests that follow this fill, the listener that would end their
 * bodies waits behind them for ever. Tomcat also runs it before the response is committed.
 *
 * <p>A servlet that wrote its body around the wrapper (to the original response of a plain
 * {@code startAsync()}) left nothing to store: the fill is abandoned rather than an empty object
 * stored. A client that leaves is no failure of the origin: the fill goes on for the waiters, and
 * is seen to its end (containers differ in what they do next).
 */
final class FillCompletion implements AsyncListener {
  private final TeeResponse tee;
  private final CacheEntry entry;
  private final LongAdder stored;
  private final Duration maxStall;
  private final ScheduledExecutorService timer;
  private final java.time.Clock clock;
  private final AtomicBoolean ended = new AtomicBoolean();
  /** What answers the client once the origin's response has ended; none by default. */
  private volatile Ending ending = () -> { };
  private final AtomicBoolean watched = new AtomicBoolean();
  /** Whether the watch completes the fill once its last declared byte is written (its client left). */
  private volatile boolean completeWhenWritten;
  private volatile ScheduledFuture<?> check;
  /** The watch's view of the fill's progress: bytes written, and since when nothing more. */
  private long seen = -2;
  private long stalledSince;
  /** Set when the container reported the client's connection failing. */
  private volatile boolean clientLeft;
  private volatile boolean asyncStarted;
  /** Set when the application dispatched the request after going async. */
  private volatile boolean dispatched;

  /**
   * @param entry the transaction the response fills; null for a response that passes
   * @param stored counts the fills that were stored
   * @param maxStall how long a fill whose client left may write nothing before it is aborted
   * @param timer where a fill that outlives its request is watched to its end
   * @param clock the cache's clock, that the stall bound is measured by
   */
  FillCompletion(TeeResponse tee, CacheEntry entry, LongAdder stored, Duration maxStall,
      ScheduledExecutorService timer, java.time.Clock clock) {
    this.tee = tee;
    this.entry = entry;
    this.stored = stored;
    this.maxStall = maxStall;
    this.timer = timer;
    this.clock = clock;
  }

  /** The async context of the follower serving the owner's client; null if there is none. */
  jakarta.servlet.AsyncContext follower() {
    return tee.follower();
  }

  /** What the filter does once the origin's response has ended, before the request completes. */
  interface Ending {
    void ended() throws IOException;
  }

  /** The request attribute under which a request carries the fill its application went async in. */
  static final String ATTRIBUTE = FillCompletion.class.getName();

  /** Sets what answers the client once the origin's response has ended (a 304's merge, a stale object). */
  void onEnded(Ending then) {
    this.ending = then;
  }

  /** Records that the application started async processing through the filter's request. */
  void asyncStarted() {
    asyncStarted = true;
  }

  /** Whether the application started async processing through the filter's request. */
  boolean isAsyncStarted() {
    return asyncStarted;
  }

  /** Ends the fill as the response is complete: stores it, or abandons an untouched one. */
  void complete() throws IOException {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      // Nothing went through the wrapper, not even a status (a 304 has no body): the servlet
      // wrote to the container's own response (startAsync() without arguments), or nothing. Whether the client's response is
      // committed says nothing (Tomcat commits after this); an untouched response is never
      // stored, or its object would be empty.
      if (entry != null && tee.state() == TeeState.UNDECIDED && !tee.touched() && !tee.headWritten()) {
        entry.cancelNotCacheable();
      } else {
        if (tee.finish()) {
          stored.increment();
        }
        ending.ended();
      }
    } finally {
      if (entry != null) {
        entry.close();
      }
    }
  }

  /** Ends the fill as failed: nothing is stored, and whoever follows it learns so. */
  void abort() {
    if (ended.compareAndSet(false, true)) {
      tee.abortSink();
      if (entry != null) {
        entry.close();
      }
    }
  }

  @Override
  public void onComplete(AsyncEvent event) throws IOException {
    if (!clientLeft && failedInContainer(event)) {
      abort(); // whatever the tee holds is not the application's whole response
      return;
    }
    if ((tee.follower() != null || clientLeft) && !ended.get()) {
      // The response ended because its client is done or gone (served from the object, or
      // left); the application may still be writing the object for the others: it is seen to
      // its end.
      watchToTheEnd();
      return;
    }
    if (!ended.get() && dispatched) {
      // The application's own ASYNC dispatch ended the response without passing the filter,
      // which would have ended the fill as it returned: the filter is not mapped for ASYNC. What
      // it held back for the client (a 304's merge, a stale object) may come too late now.
      FilterRuntime.warnNotMappedForAsync();
    }
    try {
      complete();
    } catch (IllegalStateException completed) {
      // the container has completed the response: the client has what the origin wrote
    }
  }

  /** Records that the application dispatched the request (to itself, through the container). */
  void dispatched() {
    dispatched = true;
  }

  /**
   * Whether the container ended the response for a failure of the application's that the
   * filter never saw: an exception thrown on a dispatch the filter is not mapped for, which the
   * container turned into its error page without telling the listeners {@code onError} (Jetty
   * and Undertow do so). Not asked once the client's connection failed ({@link #onError}): Tomcat
   * then names the client's I/O failure in the request. Jetty names the exception in the request; both leave a 5xx on the
   * response under the tee where the application set none.
   */
  private boolean failedInContainer(AsyncEvent event) {
    // the request as supplied, not through the context, which Tomcat refuses after an error
    jakarta.servlet.ServletRequest request = event.getSuppliedRequest();
    if (request != null && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null) {
      return true;
    }
    return tee.state().writesClient() && tee.client().getStatus() >= 500 && tee.getStatus() < 500;
  }

  /**
   * Sees the fill to its end without the request: it commits with its last declared byte, or is
   * aborted once the application has written nothing for the stall bound.
   */
  private void watchToTheEnd() {
    if (!sinkAwaitsItsLastByte()) {
      abort(); // no declared length: the end of the body cannot be known
      return;
    }
    completeWhenWritten = true;
    watchStalls();
  }

  /** Whether the cache write is open and the origin declared its length: its last byte commits it. */
  private boolean sinkAwaitsItsLastByte() {
    return tee.sink() != null && tee.originContentLength() != null;
  }

  /**
   * Watches an async fill until it ends: one whose application writes nothing for the stall
   * bound is aborted, so that no waiter follows, and no request queues behind, a fill that
   * nobody will end (a container that aborted the request after the application failed on its
   * own dispatch tells no listener: Jetty). The cache's clock measures the stall; the filter's
   * timer looks at the fill's progress a few times per bound.
   */
  void watchStalls() {
    if (!watched.compareAndSet(false, true)) {
      return;
    }
    long period = Math.max(20, Math.min(1000, maxStall.toMillis() / 4));
    stalledSince = clock.millis();
    try {
      check = timer.scheduleWithFixedDelay(this::lookAtProgress, period, period, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      abort();
    }
  }

  private void lookAtProgress() {
    if (ended.get()) {
      check.cancel(false);
      return;
    }
    BodySink s = tee.sink();
    if (s != null && s.ended() && completeWhenWritten) {
      check.cancel(false);
      try {
        complete();
      } catch (IOException | RuntimeException e) {
        abort();
      }
      return;
    }
    long written = s == null ? -1 : s.written();
    if (written != seen) {
      seen = written;
      stalledSince = clock.millis();
    } else if (clock.millis() - stalledSince > maxStall.toMillis()) {
      check.cancel(false);
      abort();
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    abort();
  }

  @Override
  public void onError(AsyncEvent event) {
    if (!(event.getThrowable() instanceof IOException)) {
      abort();
      return;
    }
    // The client's connection failed (Tomcat reports a reset here): not the origin's fault. The
    // fill goes on for the waiters; the tee ignores the lost client from now on. Containers
    // differ in what follows (Tomcat completes the request at once, Jetty may wait for the async
    // timeout), so the fill is seen to its end here: it commits with its last declared byte, or
    // is aborted once the servlet has written nothing for the stall bound.
    clientLeft = true;
    tee.forgetClient();
    watchToTheEnd();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    event.getAsyncContext().addListener(this);
  }
}
