package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.time.Duration;
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
  private final java.util.concurrent.Executor watchers;
  private final java.time.Clock clock;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean watched = new AtomicBoolean();
  /** Set when the container reported the client's connection failing. */
  private volatile boolean clientLeft;
  private volatile boolean asyncStarted;

  /**
   * @param entry the transaction the response fills; null for a response that passes
   * @param stored counts the fills that were stored
   * @param maxStall how long a fill whose client left may write nothing before it is aborted
   * @param watchers where a fill that outlives its request is watched to its end
   * @param clock the cache's clock, that the stall bound is measured by
   */
  FillCompletion(TeeResponse tee, CacheEntry entry, LongAdder stored, Duration maxStall,
      java.util.concurrent.Executor watchers, java.time.Clock clock) {
    this.tee = tee;
    this.entry = entry;
    this.stored = stored;
    this.maxStall = maxStall;
    this.watchers = watchers;
    this.clock = clock;
  }

  /** The async context of the follower serving the owner's client; null if there is none. */
  jakarta.servlet.AsyncContext follower() {
    return tee.follower();
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
      // Nothing went through the wrapper: the servlet wrote to the container's own response
      // (startAsync() without arguments), or nothing at all. Whether the client's response is
      // committed says nothing (Tomcat commits after this); an untouched response is never
      // stored, or its object would be empty.
      if (entry != null && tee.state() == TeeState.UNDECIDED && !tee.touched()) {
        entry.cancelNotCacheable();
      } else if (tee.finish()) {
        stored.increment();
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
    if ((tee.follower() != null || clientLeft) && !ended.get()) {
      // The response ended because its client is done or gone (served from the object, or
      // left); the application may still be writing the object for the others: it is seen to
      // its end.
      watchToTheEnd();
      return;
    }
    complete();
  }

  /**
   * Sees the fill to its end without the request: it commits with its last declared byte, or is
   * aborted once the application has written nothing for the stall bound. Off the container's
   * threads, since that can take as long as the application writes.
   */
  private void watchToTheEnd() {
    if (!watched.compareAndSet(false, true)) {
      return;
    }
    if (!sinkAwaitsItsLastByte()) {
      abort(); // no declared length: the end of the body cannot be known
      return;
    }
    Runnable watch = () -> {
      awaitLastByte();
      try {
        complete();
      } catch (IOException | RuntimeException e) {
        abort();
      }
    };
    try {
      watchers.execute(watch);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
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

  /**
   * Whether the cache write is still open and the origin declared its length: its last byte
   * then commits the object, so it can outlive the request that started it.
   */
  private boolean sinkAwaitsItsLastByte() {
    return tee.sink() != null && tee.getHeader("Content-Length") != null;
  }

  /**
   * Waits until the cache write ends, the servlet having gone on writing after the container
   * finished with the request; if it writes nothing for {@code maxStall} (it failed, or gave up),
   * the write is aborted, so that no waiter follows a write that nobody will end. Time is read
   * from the cache's clock; the servlet's progress is looked at every 20 ms.
   */
  private void awaitLastByte() {
    dev.edgecache.BodySink s = tee.sink();
    long seen = -1;
    long stalledSince = clock.millis();
    while (s != null && !s.ended()) {
      long written = s.written();
      if (written != seen) {
        seen = written;
        stalledSince = clock.millis();
      } else if (clock.millis() - stalledSince > maxStall.toMillis()) {
        tee.abortSink();
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tee.abortSink();
        return;
      }
    }
  }
}
