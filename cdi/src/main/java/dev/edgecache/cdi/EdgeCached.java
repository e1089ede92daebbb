package dev.edgecache.cdi;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a bean method's return value in the application's {@code EdgeCache}, through its
 * key-value face: concurrent calls with one key run the method once and all get its value (or
 * its exception, which is never cached); within {@link #staleWhileRevalidate} after
 * {@link #maxAge}, callers get the old value at once while one call refreshes it in the
 * background. On a type, it applies to each of the type's own business methods.
 *
 * <p>Values are stored with Java serialisation: return types must be serialisable. A method that
 * returns nothing fails deployment.
 */
@InterceptorBinding
@Inherited
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface EdgeCached {
  /**
   * The key, as a template in which {@code {0}}, {@code {1}}, ... stand for the arguments'
   * {@code toString()}. Empty (the default): the method's class, name and every argument.
   */
  @Nonbinding
  String key() default "";

  /** Seconds a value is fresh. */
  @Nonbinding
  long maxAge() default 60;

  /** Seconds after {@link #maxAge} in which a stale value is served while it is refreshed. */
  @Nonbinding
  long staleWhileRevalidate() default 0;

  /** A key generator instead of {@link #key}; a CDI bean of that type if there is one. */
  @Nonbinding
  Class<? extends KeyGenerator> keyGenerator() default KeyGenerator.class;
}
