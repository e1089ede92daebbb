package dev.edgecache.cdi;

import dev.edgecache.EdgeCache;
import dev.edgecache.EdgeCacheBuilder;
import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.io.Serializable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The application's {@link EdgeCache}, one per application, closed when the container shuts
 * down, and its key-value faces. Configured by the application's beans when it has them: a
 * {@link FilterSettings} (else {@link FilterSettings#DEFAULT}) and a {@link CacheStorage}, such as
 * the Ehcache store (else the in-memory store sized by the settings). The filter uses the same
 * cache when it runs under CDI.
 */
@ApplicationScoped
public class EdgeCacheProducer {
  @Inject
  Instance<FilterSettings> settings;

  @Inject
  Instance<CacheStorage> storage;

  @Inject
  BeanManager beans;

  @Inject
  Instance<FilterMapping> mapping;

  @Inject
  EdgeCacheExtension extension;

  private CdiCacheEvents events;
  private EdgeCache cache;

  @PostConstruct
  void bridgeEvents() {
    CdiCacheEvents bridge = new CdiCacheEvents(beans.getEvent(), extension.purged(), extension.outcomes());
    events = bridge.observed() ? bridge : null;
  }

  /** The settings in use: the application's bean, or the defaults. */
  FilterSettings settings() {
    return applicationSettings().orElse(FilterSettings.DEFAULT);
  }

  /** The application's settings bean, if it has one. */
  Optional<FilterSettings> applicationSettings() {
    return settings.isResolvable() ? Optional.of(settings.get()) : Optional.empty();
  }

  /** The application's filter mapping bean, if it has one. */
  Optional<FilterMapping> mapping() {
    return mapping.isResolvable() ? Optional.of(mapping.get()) : Optional.empty();
  }

  /** The event bridge, or null when no observer wants the cache's events. */
  CdiCacheEvents events() {
    return events;
  }

  @Produces
  @ApplicationScoped
  EdgeCache edgeCache() {
    return cache();
  }

  /**
   * The application's cache itself, made on first use: what {@code @Inject EdgeCache} reaches
   * through its client proxy, and what the filter holds directly so that a hit costs no proxy
   * call.
   */
  synchronized EdgeCache cache() {
    if (cache == null) {
      FilterSettings s = settings();
      EdgeCacheBuilder b = s.cacheBuilder();
      if (storage.isResolvable()) {
        b.storage(storage.get(), false); // the application's bean: its own disposer closes it
      } else {
        b.storage(MemoryStorage.builder().capacityBytes(s.capacityBytes()).maxObjectSize(s.maxObjectBytes()).build(),
            true);
      }
      if (events != null) {
        b.listener(events);
      }
      cache = b.build();
    }
    return cache;
  }

  /**
   * Closes the cache when the application stops, whoever used it: the filter holds the cache
   * itself, not the produced bean, so a disposer of that bean would run only if something had
   * injected it, and the cache's timer thread would outlive an undeploy.
   */
  @PreDestroy
  synchronized void close() {
    if (cache != null) {
      cache.close();
    }
  }

  /**
   * {@code @Inject KeyValueCache<V>}: the key-value face in the namespace named after {@code V},
   * with the application's {@code Codec<V>} bean if it has one, else UTF-8 for {@code String}, the
   * bytes themselves for {@code byte[]}, and Java serialisation for a {@link Serializable}
   * {@code V}.
   */
  @Produces
  @Dependent
  <V> KeyValueCache<V> keyValue(InjectionPoint point, EdgeCache cache) {
    Type type = point.getType();
    if (!(type instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?>)) {
      throw new DefinitionException("inject KeyValueCache with a concrete value type, as KeyValueCache<MyType>: "
          + point);
    }
    @SuppressWarnings("unchecked")
    Class<V> value = (Class<V>) p.getActualTypeArguments()[0];
    return cache.keyValue(value.getName(), codec(value, point));
  }

  @SuppressWarnings("unchecked")
  private <V> Codec<V> codec(Class<V> value, InjectionPoint point) {
    Type codecType = new CodecType(value);
    Set<Bean<?>> found = beans.getBeans(codecType);
    if (!found.isEmpty()) {
      Bean<?> bean = beans.resolve(found);
      return (Codec<V>) beans.getReference(bean, codecType, beans.createCreationalContext(bean));
    }
    if (value == String.class) {
      return (Codec<V>) Codec.utf8();
    }
    if (value == byte[].class) {
      return (Codec<V>) Codec.bytes();
    }
    if (Serializable.class.isAssignableFrom(value)) {
      return new SerializableCodec<>(value);
    }
    throw new DefinitionException("no Codec<" + value.getName() + "> bean for " + point
        + ", and the type is not Serializable: produce a Codec for it");
  }

  /** Purges on the application's request: {@code @Inject Event<PurgeRequest>}. */
  void purge(@Observes PurgeRequest request, EdgeCache cache) {
    if (request.key() != null) {
      if (request.soft()) {
        cache.softPurge(request.key());
      } else {
        cache.purge(request.key());
      }
    } else if (request.scope() != null) {
      if (request.soft()) {
        cache.softPurgeScope(request.scope());
      } else {
        cache.purgeScope(request.scope());
      }
    } else if (request.soft()) {
      cache.softPurgeSurrogateKey(request.surrogateKey());
    } else {
      cache.purgeSurrogateKey(request.surrogateKey());
    }
  }

  /** The type {@code Codec<V>}, to look a codec bean up by. */
  private record CodecType(Class<?> value) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {value};
    }

    @Override
    public Type getRawType() {
      return Codec.class;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p && p.getRawType() == Codec.class && p.getOwnerType() == null
          && Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(getActualTypeArguments()) ^ Codec.class.hashCode(); // as the JDK's own
    }
  }
}
