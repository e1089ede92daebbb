package dev.edgecache.cdi;

import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.spi.CacheStorage;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks the application's edge cache set-up when the container starts, and records which of the
 * cache's events have observers. Definition errors, which fail deployment with their message:
 * more than one bean of the filter's configuration type {@link FilterSettings}, of its mapping
 * {@link FilterMapping} or of the storage type {@link CacheStorage}; {@link EdgeCached} on a
 * method that returns nothing.
 */
public class EdgeCacheExtension implements Extension {
  /** Which kinds of observer an event type has. */
  static final class Observed {
    private volatile boolean sync;
    private volatile boolean async;

    boolean sync() {
      return sync;
    }

    boolean async() {
      return async;
    }

    boolean any() {
      return sync || async;
    }
  }

  private final List<Bean<?>> settings = new CopyOnWriteArrayList<>();
  private final List<Bean<?>> storages = new CopyOnWriteArrayList<>();
  private final List<Bean<?>> mappings = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Observed purged = new Observed();
  private final Observed outcomes = new Observed();

  /** Observers of {@link CachePurged}. */
  Observed purged() {
    return purged;
  }

  /** Observers of {@link CacheOutcome}. */
  Observed outcomes() {
    return outcomes;
  }

  <T> void checkEdgeCached(@Observes @WithAnnotations(EdgeCached.class) ProcessAnnotatedType<T> type) {
    boolean onType = type.getAnnotatedType().isAnnotationPresent(EdgeCached.class);
    for (AnnotatedMethod<? super T> m : type.getAnnotatedType().getMethods()) {
      boolean cached = m.isAnnotationPresent(EdgeCached.class)
          || (onType && m.getJavaMember().getDeclaringClass() == type.getAnnotatedType().getJavaClass());
      if (cached && !m.isStatic() && m.getJavaMember().getReturnType() == void.class) {
        problems.add("@EdgeCached on " + m.getJavaMember().getDeclaringClass().getName() + "."
            + m.getJavaMember().getName() + "(), which returns nothing to cache");
      }
    }
  }

  void countBeans(@Observes ProcessBean<?> event) {
    Bean<?> bean = event.getBean();
    if (bean.getBeanClass() == EdgeCacheProducer.class) {
      return;
    }
    for (Type t : bean.getTypes()) {
      if (t == FilterSettings.class) {
        settings.add(bean);
      } else if (t == CacheStorage.class) {
        storages.add(bean);
      } else if (t == FilterMapping.class) {
        mappings.add(bean);
      }
    }
  }

  void observers(@Observes ProcessObserverMethod<?, ?> event) {
    Type t = event.getObserverMethod().getObservedType();
    Observed o = t == CachePurged.class ? purged : t == CacheOutcome.class ? outcomes : null;
    if (o == null) {
      return;
    }
    if (event.getObserverMethod().isAsync()) {
      o.async = true;
    } else {
      o.sync = true;
    }
  }

  void report(@Observes AfterBeanDiscovery abd) {
    List<String> all = new ArrayList<>(problems);
    if (settings.size() > 1) {
      all.add("more than one bean of " + FilterSettings.class.getName() + ": " + settings
          + "; the edge cache takes its configuration from one");
    }
    if (storages.size() > 1) {
      all.add("more than one bean of " + CacheStorage.class.getName() + ": " + storages
          + "; the edge cache uses one storage");
    }
    if (mappings.size() > 1) {
      all.add("more than one bean of " + FilterMapping.class.getName() + ": " + mappings
          + "; the edge cache filter is registered once, with the URL patterns of one");
    }
    for (String p : all) {
      abd.addDefinitionError(new DefinitionException("edge cache: " + p));
    }
  }
}
