package dev.edgecache.cdi;

import dev.edgecache.servlet.EdgeCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Registers the edge cache filter without {@code web.xml}, for an application that produces a
 * {@link FilterMapping}. The CDI container is not necessarily running when initializers run, so
 * the filter is registered on every path and reads the mapping when it starts; without a mapping
 * bean it passes every request straight on. An application that declares an
 * {@link EdgeCacheFilter} of its own gets no second one.
 *
 * <p>The filter comes after the filters the application declares, so that its own security
 * filters run before a response can be served from the cache.
 */
public class EdgeCacheInitializer implements ServletContainerInitializer {
  private static final Logger LOG = Logger.getLogger(EdgeCacheInitializer.class.getName());
  /** The name of the filter this registers. */
  public static final String FILTER_NAME = "EdgeCacheFilter";

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    for (FilterRegistration r : context.getFilterRegistrations().values()) {
      if (isEdgeCacheFilter(r.getClassName(), context.getClassLoader())) {
        LOG.fine(() -> "the application declares " + r.getName() + ": no filter registered");
        return;
      }
    }
    FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new CdiEdgeCacheFilter(true));
    if (filter == null) {
      LOG.warning("a filter named " + FILTER_NAME + " exists already: the edge cache filter is not registered");
      return;
    }
    filter.setAsyncSupported(true); // async servlets end their fills on completion
    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
  }

  private static boolean isEdgeCacheFilter(String className, ClassLoader loader) {
    if (className == null) {
      return false;
    }
    try {
      return EdgeCacheFilter.class.isAssignableFrom(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return className.equals(EdgeCacheFilter.class.getName()) || className.equals(CdiEdgeCacheFilter.class.getName());
    }
  }
}
