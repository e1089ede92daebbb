package dev.edgecache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import java.lang.reflect.Method;

/** Applies {@link EdgeCached}: see there. */
@EdgeCached
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class EdgeCachedInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject
  transient EdgeCachedCalls calls;

  @AroundInvoke
  public Object cache(InvocationContext context) throws Exception {
    Method method = context.getMethod();
    EdgeCached rules = method.getAnnotation(EdgeCached.class);
    if (rules == null) {
      rules = method.getDeclaringClass().getAnnotation(EdgeCached.class);
    }
    if (rules == null) {
      rules = context.getTarget().getClass().getAnnotation(EdgeCached.class);
    }
    if (rules == null || method.getReturnType() == void.class || EdgeCachedCalls.inRefresh()) {
      return context.proceed();
    }
    Object target = context.getTarget();
    Object[] args = context.getParameters().clone();
    // A background refresh runs after this invocation has returned, so not through proceed().
    return calls.call(rules, method, args, context::proceed, () -> {
      try {
        method.setAccessible(true);
        return method.invoke(target, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
    });
  }
}
