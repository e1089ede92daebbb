package dev.edgecache.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The request a fill hands the application: its async context ends the fill when the
 * application calls {@code complete()}, on the application's own thread, before the container
 * learns of it (see {@link FillCompletion} for why the container's listener is too late).
 */
final class CompletionAwareRequest extends HttpServletRequestWrapper {
  private final FillCompletion completion;

  CompletionAwareRequest(HttpServletRequest request, FillCompletion completion) {
    super(request);
    this.completion = completion;
  }

  @Override
  public AsyncContext startAsync() {
    AsyncContext following = completion.follower();
    return started(following != null ? following : super.startAsync());
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    // the filter went async itself to serve this client from the object: the application shares it
    AsyncContext following = completion.follower();
    return started(following != null ? following : super.startAsync(request, response));
  }

  @Override
  public boolean isAsyncStarted() {
    // Async started only by the filter's follower is not the application's; otherwise the
    // container says (after the application's own dispatch, async has ended).
    return completion.follower() != null ? completion.isAsyncStarted() : super.isAsyncStarted();
  }

  @Override
  public AsyncContext getAsyncContext() {
    return new Completing(super.getAsyncContext(), completion);
  }

  private AsyncContext started(AsyncContext context) {
    completion.asyncStarted();
    // an ASYNC dispatch of the application's that passes the filter ends the fill as it returns
    super.setAttribute(FillCompletion.ATTRIBUTE, completion);
    context.addListener(completion);
    return new Completing(context, completion);
  }

  /** The container's async context, with {@code complete()} ending the fill first. */
  private record Completing(AsyncContext context, FillCompletion completion) implements AsyncContext {
    @Override
    public void complete() {
      try {
        completion.complete();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        if (completion.follower() == null) {
          context.complete(); // else the follower completes the response once it has the body
        }
      }
    }

    @Override
    public ServletRequest getRequest() {
      return context.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return context.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return context.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      completion.dispatched();
      context.dispatch();
    }

    @Override
    public void dispatch(String path) {
      completion.dispatched();
      context.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext servletContext, String path) {
      completion.dispatched();
      context.dispatch(servletContext, path);
    }

    @Override
    public void addListener(AsyncListener listener) {
      context.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
      context.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
      return context.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
      context.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return context.getTimeout();
    }

    @Override
    public void start(Runnable run) {
      context.start(run);
    }
  }
}
