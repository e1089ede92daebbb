package dev.edgecache.cdi;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Weld's request contexts paired on Tomcat for requests that go async.
 *
 * <p>Weld binds a request's CDI contexts to the thread in {@code requestInitialized} and unbinds
 * them in {@code requestDestroyed}, and expects both on one thread. Tomcat fires
 * {@code requestInitialized} as a request's first dispatch starts, skips {@code requestDestroyed}
 * when that dispatch returns with async started, fires nothing for an {@code ASYNC} dispatch, and
 * fires {@code requestDestroyed} after the async listeners' {@code onComplete}, on whichever
 * container thread completes it. The filter suspends every request that waits for another's fill,
 * so on Tomcat each one left Weld's contexts bound to the thread it started on (the next request
 * there logged WELD-000714, -000225 and -000335, its own end WELD-000715, and an undeploy found
 * the thread locals). Jetty and Undertow fire the pair around each dispatch, on its thread.
 *
 * <p>So, on Tomcat with Weld's listener only, this closes the request's contexts on the thread
 * of a dispatch that returns async ({@code requestDestroyed}: Weld keeps the request's beans for
 * its end), opens them for an {@code ASYNC} dispatch and closes them after it, and opens them in
 * {@code onComplete} just before Tomcat's own {@code requestDestroyed} on that thread. Each
 * thread then sees Weld's calls in pairs, and the request's beans are destroyed once, at its end.
 */
final class AsyncRequestScope {
  private static final Logger LOG = Logger.getLogger(AsyncRequestScope.class.getName());
  /** The context attribute by which Weld's servlet module publishes its request listener. */
  static final String WELD_LISTENER = "org.jboss.weld.module.web.servlet.WeldInitialListener";
  private static final String PAIRED = AsyncRequestScope.class.getName() + ".paired";

  private final ServletContext context;
  private final ServletRequestListener weld;

  private AsyncRequestScope(ServletContext context, ServletRequestListener weld) {
    this.context = context;
    this.weld = weld;
  }

  /** The pairing for {@code context}, or null where the container pairs the calls itself. */
  static AsyncRequestScope on(ServletContext context) {
    if (context == null || context.getServerInfo() == null || !context.getServerInfo().startsWith("Apache Tomcat/")) {
      return null;
    }
    return context.getAttribute(WELD_LISTENER) instanceof ServletRequestListener weld
        ? new AsyncRequestScope(context, weld) : null;
  }

  /** Before the filter handles a dispatch: an {@code ASYNC} one gets the request's contexts. */
  void entering(ServletRequest request) {
    if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(PAIRED) != null) {
      call(true, request);
    }
  }

  /**
   * After the filter handled a dispatch: if the request is async now, its contexts leave this
   * thread, and come back for its end; after an {@code ASYNC} dispatch they leave in any case.
   */
  void leaving(ServletRequest request) {
    boolean async = request.isAsyncStarted();
    boolean dispatched = request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(PAIRED) != null;
    if (!async && !dispatched) {
      return;
    }
    if (async && request.getAttribute(PAIRED) == null) {
      try {
        request.getAsyncContext().addListener(new Reopen());
      } catch (IllegalStateException completing) {
        return; // it completed meanwhile: the container ends it on this dispatch's thread
      }
      request.setAttribute(PAIRED, Boolean.TRUE);
    }
    call(false, request);
  }

  private void call(boolean initialized, ServletRequest request) {
    ServletRequestEvent event = new ServletRequestEvent(context, request);
    try {
      if (initialized) {
        weld.requestInitialized(event);
      } else {
        weld.requestDestroyed(event);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "CDI request context could not be " + (initialized ? "opened" : "closed"), e);
    }
  }

  /** Opens the contexts for the request's end, which Tomcat closes right after, on this thread. */
  private final class Reopen implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      ServletRequest request = event.getSuppliedRequest() != null ? event.getSuppliedRequest()
          : event.getAsyncContext().getRequest();
      call(true, request);
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
