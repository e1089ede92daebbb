package dev.edgecache.servlet;

import dev.edgecache.CacheEntry;
import dev.edgecache.http.CacheStatus;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a request that waited without a thread does when it is dispatched again to the filter
 * ({@code AsyncContext.dispatch()}): run the origin as the key's owner, pass, or end its
 * response as broken. Carried in a request attribute, taken once.
 *
 * <p>It also listens to the async request: a lookup still queued when the request ends (its
 * client left) gives up its place, and an entry that no dispatch took (the filter is not mapped
 * for {@code ASYNC} dispatches, so the application answered directly) is closed, which frees the
 * key for the next request.
 */
final class Resumption implements AsyncListener {
  /** The request attribute that carries it. */
  static final String ATTRIBUTE = Resumption.class.getName();

  /** What the dispatch is for. */
  enum Action {
    /** The lookup made this request the key's owner, or says it must go to the origin. */
    HANDLE,
    /** The cache cannot answer (the lookup or the fill failed): the request passes to the origin uncached. */
    PASS,
    /** The stored body failed midway: the committed response must end broken. */
    ABORT
  }

  private final CompletableFuture<CacheEntry> lookup;
  private final AtomicBoolean taken = new AtomicBoolean();
  private volatile Action action;
  private volatile CacheEntry entry;
  private volatile IOException failure;
  private volatile CacheStatus.Forward passForward;
  private volatile String passDetail;
  private final Runnable notFiltered;

  /**
   * @param notFiltered told when the request ended without its dispatch reaching the filter
   */
  Resumption(CompletableFuture<CacheEntry> lookup, Runnable notFiltered) {
    this.lookup = lookup;
    this.notFiltered = notFiltered;
  }

  /** Readies a dispatch that handles {@code e} (owner, or no usable object). */
  void handle(CacheEntry e) {
    this.entry = e;
    this.action = Action.HANDLE;
  }

  /**
   * Readies a dispatch that passes the request to the origin, its {@code Cache-Status} saying
   * {@code forward} and {@code detail}.
   */
  void pass(CacheStatus.Forward forward, String detail) {
    this.passForward = forward;
    this.passDetail = detail;
    this.action = Action.PASS;
  }

  /** Readies a dispatch that ends the committed response as broken. */
  void abort(IOException why) {
    this.failure = why;
    this.action = Action.ABORT;
  }

  /** Takes the dispatch's work from {@code request}, once; null if it has none of the filter's. */
  static Resumption take(ServletRequest request) {
    if (!(request.getAttribute(ATTRIBUTE) instanceof Resumption r)) {
      return null;
    }
    request.removeAttribute(ATTRIBUTE);
    return r.taken.compareAndSet(false, true) ? r : null;
  }

  Action action() {
    return action;
  }

  CacheEntry entry() {
    return entry;
  }

  IOException failure() {
    return failure;
  }

  CacheStatus.Forward passForward() {
    return passForward;
  }

  String passDetail() {
    return passDetail;
  }

  /** A lookup still queued gives up its place; an entry already given is its holder's to close. */
  private void release() {
    lookup.cancel(false);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    if (action == Action.HANDLE && taken.compareAndSet(false, true)) {
      entry.close(); // no dispatch reached the filter: the key is freed for the next request
      notFiltered.run();
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    release();
  }

  @Override
  public void onError(AsyncEvent event) {
    release();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // the dispatch that took this over starts its own
  }
}
