package dev.edgecache.cdi;

import java.lang.reflect.Method;

/** Makes the key of an {@link EdgeCached} call from its method and arguments. */
public interface KeyGenerator {
  /** The key; calls with equal keys share one cached value. */
  String key(Method method, Object[] arguments);
}
