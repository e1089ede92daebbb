package dev.edgecache.cdi;

import dev.edgecache.EdgeCache;
import dev.edgecache.servlet.EdgeCacheFilter;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.servlet.OutcomeListener;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The edge cache filter on the application's CDI cache: the {@link EdgeCache} that
 * {@code @Inject EdgeCache} gives, so that a purge through either is seen by both. Its settings
 * are the application's {@link FilterSettings} bean, or, without one, the filter's init-params as
 * for {@link EdgeCacheFilter}. Request outcomes are fired as {@link CacheOutcome} events when the
 * application observes them.
 *
 * <p>Declare it in {@code web.xml} in place of {@link EdgeCacheFilter}, or produce a
 * {@link FilterMapping} and let {@link EdgeCacheInitializer} register it. Outside a CDI container
 * a declared one works as a plain {@link EdgeCacheFilter} on its own cache.
 */
public class CdiEdgeCacheFilter extends EdgeCacheFilter {
  private static final Logger LOG = Logger.getLogger(CdiEdgeCacheFilter.class.getName());

  private final boolean registered;
  private boolean inert;
  private UrlPatterns paths;
  /** Pairs CDI's request context calls for requests that go async, where the container does not. */
  private AsyncRequestScope asyncScope;

  /** For {@code web.xml}: caches every request mapped to it. */
  public CdiEdgeCacheFilter() {
    this(false);
  }

  /**
   * @param registered true when registered by {@link EdgeCacheInitializer} on every path: it
   *     then acts on the paths of the application's {@link FilterMapping}, and on none without one
   */
  CdiEdgeCacheFilter(boolean registered) {
    this.registered = registered;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    BeanManager beans = beanManager(config.getServletContext());
    EdgeCacheProducer producer = beans == null ? null : reference(beans, EdgeCacheProducer.class);
    if (registered) {
      Optional<FilterMapping> mapping = producer == null ? Optional.empty() : producer.mapping();
      if (mapping.isEmpty()) {
        inert = true;
        LOG.fine("no FilterMapping bean: the edge cache filter is not used");
        return;
      }
      paths = new UrlPatterns(mapping.get().urlPatterns());
    }
    if (producer == null) {
      if (beans != null) {
        LOG.warning("a CDI container without the edge cache's beans (is edgecache-cdi a bean archive here?): "
            + "the filter uses a cache of its own");
      }
      super.init(config);
      return;
    }
    FilterSettings settings = producer.applicationSettings().orElse(null);
    if (settings == null) {
      try {
        settings = FilterSettings.fromInitParams(EdgeCacheFilter.settingsOf(config));
      } catch (IllegalArgumentException e) {
        throw new ServletException("EdgeCacheFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
      }
    } else if (config.getInitParameterNames().hasMoreElements()) {
      LOG.warning(() -> "EdgeCacheFilter '" + config.getFilterName()
          + "': the application's FilterSettings bean is used, its init-params are not");
    }
    asyncScope = AsyncRequestScope.on(config.getServletContext());
    use(producer.cache(), settings);
    setOutcomeListener(outcomeListener(producer));
    super.init(config);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (inert || (paths != null && request instanceof HttpServletRequest req && !mine(req))) {
      chain.doFilter(request, response);
      return;
    }
    AsyncRequestScope scope = asyncScope;
    if (scope == null) {
      super.doFilter(request, response, chain);
      return;
    }
    scope.entering(request);
    try {
      super.doFilter(request, response, chain);
    } finally {
      scope.leaving(request);
    }
  }

  /**
   * Whether a request is on the mapping's paths, or for the admin endpoint (its path in any case,
   * PURGE, BAN, or one that bears the admin token, which must never reach the application).
   */
  private boolean mine(HttpServletRequest req) {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    return paths.matches(path) || answeredByAdmin(req);
  }

  @Override
  public void destroy() {
    if (!inert) {
      super.destroy();
    }
  }

  /** The listener that fires {@link CacheOutcome} events, or null when none is observed. */
  static OutcomeListener outcomeListener(EdgeCacheProducer producer) {
    CdiCacheEvents events = producer.events();
    return events != null && events.outcomesObserved() ? events : null;
  }

  /**
   * The application's bean manager: the servlet context's attribute, which Weld and other
   * containers set, else {@link CDI#current()}; null outside CDI.
   */
  static BeanManager beanManager(ServletContext context) {
    if (context != null && context.getAttribute(BeanManager.class.getName()) instanceof BeanManager bm) {
      return bm;
    }
    try {
      return CDI.current().getBeanManager();
    } catch (IllegalStateException | LinkageError e) {
      LOG.log(Level.FINE, "no CDI container", e);
      return null;
    }
  }

  /** A contextual reference to the bean of this type, or null if there is none. */
  private static <T> T reference(BeanManager beans, Class<T> type) {
    Bean<?> bean = beans.resolve(beans.getBeans(type));
    return bean == null ? null : type.cast(beans.getReference(bean, type, beans.createCreationalContext(bean)));
  }
}
