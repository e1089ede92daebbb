package dev.edgecache.sample;

import dev.edgecache.servlet.ConfigNames;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.spi.CacheStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.servlet.ServletContext;
import java.net.MalformedURLException;
import java.net.URL;

/**
 * The sample's edge cache configuration, by CDI: the filter's settings and the store, read from
 * the web application's context parameters by the one rule of {@code ConfigNames}: the store's
 * ({@code edgecache.store}, {@code edgecache.cluster}, {@code edgecache.ehcache-config}...) and
 * each of the filter's settings as {@code edgecache.NAME} ({@code edgecache.admin-token},
 * {@code edgecache.status-ttl}...), whether the launcher, Tomcat's {@code <Parameter>} or a
 * {@code <context-param>} sets them. The filter declared in {@code web.xml} and every
 * {@code @Inject EdgeCache} use these.
 */
@ApplicationScoped
public class SampleConfiguration {
  private volatile ServletContext context;

  /** The application's context, given when the application scope starts (before any filter). */
  void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    this.context = context;
  }

  @Produces // dependent: a record cannot have a client proxy
  FilterSettings settings() {
    param("edgecache.admin-token"); // first: it says so if the context is not there yet
    ConfigNames.check(context); // a misspelled edgecache.* name fails the start, naming it
    return FilterSettings.fromInitParams(name -> {
      String v = param(ConfigNames.PREFIX + name);
      return v == null && name.equals("cache-name") ? "edgecache-sample" : v;
    });
  }

  /**
   * The in-memory store by default; the Ehcache store configured by {@code WEB-INF/ehcache.xml}
   * (or the file given) with {@code --store ehcache}; its clustered tier with {@code --cluster}.
   */
  @Produces
  @ApplicationScoped
  CacheStorage storage() throws MalformedURLException {
    String store = param("edgecache.store");
    String cluster = param("edgecache.cluster");
    String file = param("edgecache.ehcache-config");
    StorageChoice.Sizes sizes = new StorageChoice.Sizes(size("edgecache.cluster-mb"), size("edgecache.offheap-mb"),
        size("edgecache.disk-mb"), size("edgecache.heap-entries"));
    URL xml = null;
    if (file != null) {
      xml = StorageChoice.file(file);
    } else if ("ehcache".equals(store) && cluster == null && !sizes.any()) {
      xml = context.getResource("/WEB-INF/ehcache.xml"); // sizes given: the store sizes itself instead
    }
    String maxObjectMb = param("edgecache.max-object-mb");
    String diskDir = param("edgecache.disk-dir");
    return StorageChoice.build(store, xml, cluster, maxObjectMb == null ? 0 : Long.parseLong(maxObjectMb), sizes, 0,
        diskDir == null ? null : java.nio.file.Path.of(diskDir));
  }

  private long size(String name) {
    String v = param(name);
    return v == null ? -1 : Long.parseLong(v);
  }

  void close(@Disposes CacheStorage storage) {
    storage.close();
  }

  private String param(String name) {
    if (context == null) {
      throw new IllegalStateException("the edge cache's configuration is read once the application has started");
    }
    String v = context.getInitParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
