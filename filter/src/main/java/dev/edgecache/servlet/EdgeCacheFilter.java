package dev.edgecache.servlet;

import dev.edgecache.EdgeCache;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.RequestPolicy;
import dev.edgecache.servlet.admin.AdminEndpoint;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The edge cache as a servlet filter: responses of the servlets behind it are cached by RFC 9111's
 * rules for a shared cache, concurrent requests for one key collapse into one origin request
 * whose response streams to all of them, and stale objects are served when the origin fails.
 *
 * <p>Configured by {@code web.xml} init-params (see {@link FilterSettings} for each, with its
 * default) or programmatically with {@link #EdgeCacheFilter(EdgeCache, FilterSettings)}.
 *
 * <p>What it does with each request:
 *
 * <ul>
 *   <li>GET and HEAD look the key up ({@code RequestKey}: scheme, host, resolved path, query).
 *       A usable object is served, with 304 for matching conditionals, ranges, {@code Age} and
 *       {@code Cache-Status}. Otherwise the one request that owns the key runs the chain through
 *       a {@code TeeResponse}, which decides at commit whether the response is stored and then
 *       writes each byte to the client and to the cache; waiting requests stream those bytes.
 *   <li>A HEAD that misses is filled as a GET, its client getting the fields only. A conditional
 *       or Range request that misses is filled with the whole object (its conditionals and range
 *       are not sent), and its 304 or 206 is cut from the stream on the way to the client, so a
 *       304 or 206 is never stored as the object.
 *   <li>If the origin throws, or answers 5xx, before anything was sent and a stale object is
 *       usable if error (RFC 5861 §4), the stale object is served instead; so is one that does
 *       not forbid stale, within {@code keep-stale}, when the request says the origin could not
 *       be reached ({@link #ORIGIN_UNREACHABLE}).
 *   <li>Other methods go to the origin; a non-error response invalidates the stored responses of
 *       the target URI and of same-host {@code Location} and {@code Content-Location}
 *       (RFC 9111 §4.4).
 *   <li>Request directives other than {@code no-store} are ignored, as Varnish and Fastly do, so
 *       that clients cannot force origin fetches.
 * </ul>
 *
 * <p>This class routes each request and owns the filter's life cycle; what every request shares
 * is made at {@code init} ({@code FilterRuntime}), and each route's work is a class of its own
 * ({@code Exchange} for GET and HEAD, {@code UnsafeMethods}, the admin path).
 */
public class EdgeCacheFilter implements Filter {
  /**
   * The request attribute by which the application behind the filter (a proxy, or a servlet in
   * front of a backend) says that its origin could not be reached: refused, reset or timed out,
   * with no response at all. Set it, to any value, before answering 502, 503 or 504. A stored
   * stale response within {@code keep-stale} is then served instead, unless its directives forbid
   * serving it stale ({@code must-revalidate}, {@code proxy-revalidate}, {@code no-cache},
   * {@code s-maxage}): RFC 9111 §4.2.4 lets a cache that is disconnected from the origin serve
   * stale. An error status alone never does, without {@code stale-if-error}.
   */
  public static final String ORIGIN_UNREACHABLE = OriginFetch.ORIGIN_UNREACHABLE;

  /** The servlet context attribute under which a filter keeps where its origin's failures are counted. */
  static final String ORIGIN_FAILURES_ATTRIBUTE = "dev.edgecache.servlet.origin-failures";

  /**
   * Says that the origin behind this request failed to answer it, for the application behind the
   * filter (a proxy, or a servlet in front of a backend) to call before it answers 502, 503 or
   * 504: sets {@link #ORIGIN_UNREACHABLE} (so that a stale object may be served), counts the
   * failure by kind ({@code edgecache_origin_errors_total}, the status page's origin health) and
   * logs it at WARNING, the first at once and then at most one line every 10 s that says how
   * many came since. With several filters in one web application, the last one started counts.
   *
   * @param req the request the origin failed
   * @param kind how it failed
   * @param why what was seen, for the log and the admin path (never the client)
   */
  public static void originFailed(HttpServletRequest req, OriginFailure kind, String why) {
    req.setAttribute(ORIGIN_UNREACHABLE, why);
    ServletContext context = req.getServletContext();
    if (context != null && context.getAttribute(ORIGIN_FAILURES_ATTRIBUTE) instanceof OriginFailures failures) {
      failures.failed(kind, why);
    }
  }

  /** The prefix of a setting given as a context parameter: {@code edgecache.admin-token}. */
  public static final String CONTEXT_PARAM_PREFIX = "edgecache.";

  private static final Logger LOG = Logger.getLogger(EdgeCacheFilter.class.getName());

  private EdgeCache cache;
  private FilterSettings settings;
  private boolean ownsCache;
  private final FilterStats stats = new FilterStats();
  private OutcomeListener outcomes;
  /** Pages added before {@link #init}, given to the admin path when it is made. */
  private final Map<String, AdminEndpoint.Page> adminPages = new LinkedHashMap<>();
  private FilterRuntime runtime;

  /** For {@code web.xml}: the cache is made in {@link #init} from the init-params. */
  public EdgeCacheFilter() {}

  /** A filter on a cache of the application's; the filter does not close it. */
  public EdgeCacheFilter(EdgeCache cache, FilterSettings settings) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * For a subclass that finds its cache in {@link #init} (in a container, say) rather than taking
   * it in the constructor: call before {@code super.init}. The filter does not close it.
   *
   * @throws IllegalStateException if the filter has a cache already
   */
  protected final void use(EdgeCache cache, FilterSettings settings) {
    if (this.cache != null) {
      throw new IllegalStateException("EdgeCacheFilter has its cache already");
    }
    this.cache = Objects.requireNonNull(cache, "cache");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Sets who is told each request's outcome; {@code null} for no one. Set it before the filter
   * takes requests. Each outcome is also logged at {@code FINE} by this class's logger.
   */
  public synchronized void setOutcomeListener(OutcomeListener listener) {
    this.outcomes = listener;
    if (runtime != null) {
      runtime.outcomeListener(listener);
    }
  }

  /**
   * Adds a page to the admin path: {@code GET <admin-path>NAME}, behind the admin token like the
   * rest of it, answers {@code body}'s text of {@code mediaType}, made at each request (the runnable
   * edge serves Prometheus text as {@code metrics}).
   *
   * @throws IllegalArgumentException for a name already taken ({@code stats}, {@code purge}) or
   *     not lower-case letters, digits and hyphens
   */
  public synchronized void addAdminPage(String name, String mediaType, Supplier<String> body) {
    AdminEndpoint.Page page = new AdminEndpoint.Page(Objects.requireNonNull(mediaType, "mediaType"),
        Objects.requireNonNull(body, "body"));
    if (runtime != null) {
      runtime.admin.addPage(name, page);
    } else {
      adminPages.put(AdminEndpoint.pageName(name), page);
    }
  }

  /**
   * The filter's settings by init-param name: its own init-param, else the web application's
   * context parameter of that name with {@link #CONTEXT_PARAM_PREFIX} (what Tomcat's
   * {@code <Parameter>} in {@code conf/Catalina/localhost/APP.xml} sets, or a {@code
   * <context-param>} in {@code web.xml}), else nothing (the default).
   */
  public static Function<String, String> settingsOf(FilterConfig config) {
    return name -> {
      String own = config.getInitParameter(name);
      if (own != null) {
        return own;
      }
      ServletContext context = config.getServletContext();
      return context == null ? null : context.getInitParameter(CONTEXT_PARAM_PREFIX + name);
    };
  }

  @Override
  public synchronized void init(FilterConfig config) throws ServletException {
    try {
      ConfigNames.check(config);
    } catch (IllegalArgumentException e) {
      throw new ServletException("EdgeCacheFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
    }
    if (cache == null) {
      try {
        settings = FilterSettings.fromInitParams(settingsOf(config));
      } catch (IllegalArgumentException e) {
        throw new ServletException("EdgeCacheFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
      }
      cache = settings.cacheBuilder().build();
      ownsCache = true;
    }
    runtime = new FilterRuntime(cache, ownsCache, settings, stats, adminPages, config);
    runtime.outcomeListener(outcomes);
    if (config.getServletContext() != null) {
      config.getServletContext().setAttribute(ORIGIN_FAILURES_ATTRIBUTE, new OriginFailures(stats, cache.clock()));
    }
    LOG.info(() -> "EdgeCacheFilter ready: " + settings);
  }

  @Override
  public void destroy() {
    FilterRuntime rt = runtime;
    if (rt != null) {
      rt.close();
    } else if (ownsCache && cache != null) {
      cache.close();
    }
  }

  /**
   * Whether the admin endpoint answers this request itself ({@code PURGE}, {@code BAN}, the admin
   * path in any case, the admin token): a subclass that acts on some paths only must still let
   * these through to it, so that the token never reaches the application. False before init.
   */
  protected boolean answeredByAdmin(HttpServletRequest req) {
    FilterRuntime rt = runtime;
    return rt != null && rt.admin.handles(req);
  }

  /** The filter's counters. */
  public FilterStats stats() {
    return stats;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
      chain.doFilter(request, response);
      return;
    }
    FilterRuntime rt = runtime;
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      Resumption resumed = Resumption.take(request);
      if (resumed == null) {
        try {
          chain.doFilter(request, response); // the application's own async dispatch
        } catch (IOException | ServletException | RuntimeException | Error e) {
          if (request.getAttribute(FillCompletion.ATTRIBUTE) instanceof FillCompletion f) {
            // The application failed on its own dispatch: its fill ends as failed now, so that
            // the container's error page, made after this, does not say it was stored.
            f.abort();
          }
          throw e;
        }
        if (!request.isAsyncStarted() && request.getAttribute(FillCompletion.ATTRIBUTE) instanceof FillCompletion f) {
          f.complete(); // the response ends with this dispatch: its fill ends now, before the container's end
        }
      } else {
        new Exchange(rt, req, res, chain).resume(resumed);
      }
      return;
    }
    if (rt.admin.handles(req)) {
      rt.admin.handle(req, res);
      return;
    }
    RequestSpan span = rt.tracing.start(req);
    try {
      filter(rt, req, res, chain);
    } finally {
      Tracing.finish(req, span);
    }
  }

  /** A request's way through the filter, once it is known to be neither an admin request nor an async dispatch. */
  private void filter(FilterRuntime rt, HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (upgradesInApplication(req.getHeader("Upgrade"))) {
      // A protocol upgrade done by the application (WebSocket) is no response to cache, and the
      // container's upgrade needs its own request and response, unwrapped.
      stats.bypassed.increment();
      stats.passes.add("upgrade");
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest connection = ConnectionFieldsRemoved.of(req, cache.clock());
    boolean query = QueryContent.METHOD.equals(connection.getMethod());
    if (!query && !CachedResponses.isGetOrHead(connection)) {
      UnsafeMethods.pass(rt, connection, res, chain);
      return;
    }
    HttpServletRequest received = query ? QueryContent.read(connection, settings.queryMaxBytes()) : connection;
    Exchange exchange = new Exchange(rt, received, res, chain);
    if (query && QueryContent.digestOf(received) == null) {
      exchange.pass(CacheStatus.Forward.BYPASS, "query content too large");
      return;
    }
    RequestPolicy.Verdict verdict = RequestPolicy.decide(name -> received.getHeader(name) != null,
        received.getContentLengthLong(), query, settings.overrideFields(), RequestKeys.rawPath(received),
        RequestKeys.keyPath(received), received.getQueryString());
    if (verdict != RequestPolicy.Verdict.CACHE) {
      exchange.pass(CacheStatus.Forward.BYPASS, verdict.name().toLowerCase(Locale.ROOT));
      return;
    }
    exchange.run();
  }

  /**
   * Whether an {@code Upgrade} field asks for a protocol other than {@code h2c}. Clients offer
   * h2c on plain requests (Java's HttpClient does by default); a container either takes it
   * before any filter runs or ignores it, and the request is then an ordinary one.
   */
  private static boolean upgradesInApplication(String upgrade) {
    if (upgrade == null) {
      return false;
    }
    for (String token : upgrade.split(",")) {
      String t = token.trim();
      if (!t.isEmpty() && !t.equalsIgnoreCase("h2c")) {
        return true;
      }
    }
    return false;
  }
}
