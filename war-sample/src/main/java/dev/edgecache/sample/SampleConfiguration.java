package dev.edgecache.sample;

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
import java.util.Map;

/**
 * The sample's edge cache configuration, by CDI: the filter's settings and the store, read from
 * the context parameters the launcher sets ({@code edgecache.store}, {@code edgecache.cluster},
 * {@code edgecache.ehcache-config}, {@code edgecache.admin-token}, and any of the filter's
 * init-params as {@code edgecache.filter.NAME}). The filter declared in
 * {@code web.xml} and every {@code @Inject EdgeCache} use these.
 */
@ApplicationScoped
public class SampleConfiguration {
  /** The prefix of context parameters that are the filter's init-params. */
  private static final String FILTER_PARAM = "edgecache.filter.";
  private volatile ServletContext context;

  /** The application's context, given when the application scope starts (before any filter). */
  void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    this.context = context;
  }

  @Produces // dependent: a record cannot have a client proxy
  FilterSettings settings() {
    String token = param("edgecache.admin-token"); // first: it says so if the context is not there yet
    Map<String, String> params = new java.util.HashMap<>();
    params.put("cache-name", "edgecache-sample");
    for (String name : java.util.Collections.list(context.getInitParameterNames())) {
      if (name.startsWith(FILTER_PARAM)) {
        params.put(name.substring(FILTER_PARAM.length()), context.getInitParameter(name));
      }
    }
    if (token != null) {
      params.put("admin-token", token);
    }
    return FilterSettings.fromInitParams(params::get);
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
