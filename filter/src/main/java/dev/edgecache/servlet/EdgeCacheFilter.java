package dev.edgecache.servlet;

import static dev.edgecache.servlet.CachedResponses.list;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupOptions;
import dev.edgecache.LookupState;
import dev.edgecache.RequestHeaders;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.CacheControl;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.Invalidation;
import dev.edgecache.http.NotModified;
import dev.edgecache.http.StaleServing;
import dev.edgecache.http.StoragePlan;
import dev.edgecache.http.CookiePairs;
import dev.edgecache.http.QueryKey;
import dev.edgecache.http.TargetForm;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.RequestPolicy;
import dev.edgecache.http.StorePolicy;
import dev.edgecache.http.StoredHead;
import dev.edgecache.http.VaryRule;
import dev.edgecache.store.memory.MemoryStorage;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
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
 *   <li>GET and HEAD look the key up ({@link RequestKey}: scheme, host, resolved path, query).
 *       A usable object is served, with 304 for matching conditionals, ranges, {@code Age} and
 *       {@code Cache-Status}. Otherwise the one request that owns the key runs the chain through
 *       a {@link TeeResponse}, which decides at commit whether the response is stored and then
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
  public static final String ORIGIN_UNREACHABLE = "dev.edgecache.origin-unreachable";
  private static final Logger LOG = Logger.getLogger(EdgeCacheFilter.class.getName());
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private EdgeCache cache;
  private FilterSettings settings;
  /** The settings' rules for storing, as the HTTP policy takes them. */
  private StoragePlan.Rules rules;
  private boolean ownsCache;
  private final FilterStats stats = new FilterStats();
  /** Stored heads already decoded: hits replay the same heads again and again. */
  private final HeadCache heads = new HeadCache();
  /**
   * Threads that write a fill's body to its own client from the object, blocking, while the
   * application fills it on the request's thread (a container thread could not: Tomcat and
   * Undertow let non-blocking output start only once the request's dispatch, the fill itself,
   * has returned); and that see a fill to its end after its request ended. None while idle.
   */
  private final java.util.concurrent.ThreadPoolExecutor ownClients = new java.util.concurrent.ThreadPoolExecutor(
      0, Integer.MAX_VALUE, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
      r -> {
        Thread t = new Thread(r, "edgecache-own-client");
        t.setDaemon(true);
        return t;
      });
  private AdminEndpoint admin;
  /** Pages added before {@link #init}, given to the admin path when it is made. */
  private final java.util.Map<String, AdminEndpoint.Page> adminPages = new java.util.LinkedHashMap<>();

  /**
   * Adds a page to the admin path: {@code GET <admin-path>NAME}, behind the admin token like the
   * rest of it, answers {@code body}'s text of {@code mediaType}, made at each request (the runnable
   * edge serves Prometheus text as {@code metrics}).
   *
   * @throws IllegalArgumentException for a name already taken ({@code stats}, {@code purge}) or
   *     not lower-case letters, digits and hyphens
   */
  public synchronized void addAdminPage(String name, String mediaType, java.util.function.Supplier<String> body) {
    AdminEndpoint.Page page = new AdminEndpoint.Page(Objects.requireNonNull(mediaType, "mediaType"),
        Objects.requireNonNull(body, "body"));
    if (admin != null) {
      admin.addPage(name, page);
    } else {
      adminPages.put(AdminEndpoint.pageName(name), page);
    }
  }
  private OutcomeListener outcomes;

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
  public void setOutcomeListener(OutcomeListener listener) {
    this.outcomes = listener;
  }

  /** The prefix of a setting given as a context parameter: {@code edgecache.admin-token}. */
  public static final String CONTEXT_PARAM_PREFIX = "edgecache.";

  /**
   * The filter's settings by init-param name: its own init-param, else the web application's
   * context parameter of that name with {@link #CONTEXT_PARAM_PREFIX} (what Tomcat's
   * {@code <Parameter>} in {@code conf/Catalina/localhost/APP.xml} sets, or a {@code
   * <context-param>} in {@code web.xml}), else nothing (the default).
   */
  public static java.util.function.Function<String, String> settingsOf(FilterConfig config) {
    return name -> {
      String own = config.getInitParameter(name);
      if (own != null) {
        return own;
      }
      jakarta.servlet.ServletContext context = config.getServletContext();
      return context == null ? null : context.getInitParameter(CONTEXT_PARAM_PREFIX + name);
    };
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (cache == null) {
      try {
        settings = FilterSettings.fromInitParams(settingsOf(config));
      } catch (IllegalArgumentException e) {
        throw new ServletException("EdgeCacheFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
      }
      cache = settings.cacheBuilder()
          .storage(MemoryStorage.builder().capacityBytes(settings.capacityBytes())
              .maxObjectSize(settings.maxObjectBytes()).build(), true)
          .build();
      ownsCache = true;
    }
    rules = storageRules(settings);
    OutcomeHistory history = null;
    if (settings.adminToken() != null) {
      // the status page's chart: one slot of outcomes every few seconds, on a thread of its own
      history = new OutcomeHistory(stats, cache.clock().millis());
      OutcomeHistory h = history;
      historyTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edgecache-history");
        t.setDaemon(true);
        return t;
      });
      historyTimer.scheduleAtFixedRate(() -> h.tick(cache.clock().millis()), OutcomeHistory.INTERVAL_SECONDS,
          OutcomeHistory.INTERVAL_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }
    admin = new AdminEndpoint(this, cache, settings, stats, history);
    adminPages.forEach(admin::addPage);
    registerStats(config);
    LOG.info(() -> "EdgeCacheFilter ready: " + settings);
  }

  private javax.management.ObjectName mbeanName;
  /** Ticks the status page's history; null without an admin path. */
  private java.util.concurrent.ScheduledExecutorService historyTimer;

  /** The counters over JMX, and as Micrometer meters when Micrometer is there. */
  private void registerStats(FilterConfig config) {
    String context = config.getServletContext() == null ? "" : config.getServletContext().getContextPath();
    try {
      mbeanName = new javax.management.ObjectName("dev.edgecache:type=EdgeCacheFilter,name="
          + javax.management.ObjectName.quote(context + "/" + config.getFilterName()));
      java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(stats, mbeanName);
    } catch (javax.management.JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "EdgeCacheFilter statistics not registered over JMX", e);
      mbeanName = null;
    }
    if (micrometerPresent()) {
      MicrometerStats.bind(stats, settings.cacheName(), cache);
    }
  }

  /** Whether Micrometer's classes can be loaded here; asked before {@link MicrometerStats} loads. */
  static boolean micrometerPresent() {
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry", false, EdgeCacheFilter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void destroy() {
    if (mbeanName != null) {
      try {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbeanName);
      } catch (javax.management.JMException e) {
        LOG.log(Level.FINE, "MBean already gone", e);
      }
    }
    if (historyTimer != null) {
      historyTimer.shutdownNow();
    }
    ownClients.shutdownNow();
    try {
      if (!ownClients.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warning("clients of fills still being written after 5 s; their threads are left to end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsCache && cache != null) {
      cache.close();
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARNED_NOT_MAPPED = new java.util.concurrent.atomic.AtomicBoolean();

  private static void warnNotMappedForAsync() {
    if (WARNED_NOT_MAPPED.compareAndSet(false, true)) {
      LOG.warning("EdgeCacheFilter is not mapped for ASYNC dispatches, so a request that waited for another's "
          + "fill and must then go to the application did so uncached; fix: add <dispatcher>REQUEST</dispatcher>"
          + "<dispatcher>ASYNC</dispatcher> to its filter-mapping");
    }
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
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      Resumption resumed = Resumption.take(request);
      if (resumed == null) {
        chain.doFilter(request, response); // the application's own async dispatch
      } else {
        new Exchange(req, res, chain).resume(resumed);
      }
      return;
    }
    if (admin.handles(req)) {
      admin.handle(req, res);
      return;
    }
    if (upgradesInApplication(req.getHeader("Upgrade"))) {
      // A protocol upgrade done by the application (WebSocket) is no response to cache, and the
      // container's upgrade needs its own request and response, unwrapped.
      stats.bypassed.increment();
      stats.passes.add("upgrade");
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest received = ConnectionFieldsRemoved.of(req, cache.clock());
    if (!CachedResponses.isGetOrHead(received)) {
      other(received, res, chain);
      return;
    }
    Exchange exchange = new Exchange(received, res, chain);
    RequestPolicy.Verdict verdict = RequestPolicy.decide(name -> received.getHeader(name) != null,
        received.getContentLengthLong(), settings.overrideFields(), rawPath(received), keyPath(received),
        received.getQueryString());
    if (verdict != RequestPolicy.Verdict.CACHE) {
      exchange.pass(exchange.status(CacheStatus.Forward.BYPASS)
          .withDetail(verdict.name().toLowerCase(java.util.Locale.ROOT)));
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

  /** The request's path as the client sent it, after the context path; null if it does not start with it. */
  private static String rawPath(HttpServletRequest req) {
    String uri = req.getRequestURI();
    String context = req.getContextPath();
    return uri != null && uri.startsWith(context) ? uri.substring(context.length()) : null;
  }

  /** The decoded, normalised path the key is made of, after the context path (Servlet 6.0 §3.5). */
  private static String keyPath(HttpServletRequest req) {
    return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
  }

  /**
   * Methods other than GET and HEAD pass. RFC 9111 §4.4: a non-error response to an unsafe one
   * invalidates what it touched; a safe one (OPTIONS, say) invalidates nothing (RFC 9110
   * §9.2.1), or anyone could flush any object with a preflight.
   */
  private void other(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    stats.bypassed.increment();
    stats.passes.add("method");
    report(req, null, RequestOutcome.PASS);
    TeeResponse pass = new TeeResponse(res, stats, r -> {
      r.setHeader("Cache-Status", CacheStatus.forward(settings.cacheName(), CacheStatus.Forward.REQUEST)
          .withForwardStatus(r.getStatus()).toString());
      // As the response commits, before the client can have all of it and ask again: a request
      // it sends next must not find what this one invalidated.
      int status = r.getStatus();
      if (Invalidation.invalidates(req.getMethod(), status)) {
        for (RequestKey k : Invalidation.targets(req.getMethod(), keyOf(req), status,
            r.getHeader("Location"), r.getHeader("Content-Location"))) {
          cache.purge(k.cacheKey());
        }
      }
      return TeeResponse.Mode.PASS;
    });
    runThrough(req, pass, chain);
  }

  /**
   * Runs the chain for a response that passes: it is finished when the chain returns, or, if the
   * application went async, when it completes (its writer may hold the page until then).
   */
  private void runThrough(HttpServletRequest req, TeeResponse tee, FilterChain chain)
      throws IOException, ServletException {
    FillCompletion completion = new FillCompletion(tee, null, stats.stored, settings.lockTimeout(), ownClients,
        cache.clock());
    chain.doFilter(new CompletionAwareRequest(req, completion), tee);
    if (completion.isAsyncStarted()) {
      return;
    }
    if (req.isAsyncStarted()) {
      req.getAsyncContext().addListener(completion); // started around the filter's request
      return;
    }
    tee.finish();
  }

  /** Tells the listener, if any, and the log, what was done with a request. */
  private void report(HttpServletRequest req, RequestKey key, RequestOutcome outcome) {
    OutcomeListener l = outcomes;
    if (l != null || LOG.isLoggable(Level.FINE)) {
      String text = key != null ? key.text() : keyOf(req).text();
      if (l != null) {
        try {
          l.outcome(text, outcome);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "outcome listener failed", e);
        }
      }
      LOG.fine(() -> req.getMethod() + " " + text + " " + outcome);
    }
  }

  /** The primary key of a request, with the query as the settings shape it. */
  RequestKey keyOf(HttpServletRequest req) {
    String path = req.getContextPath() + keyPath(req);
    return new RequestKey(req.getScheme(), req.getServerName(), req.getServerPort(), path,
        QueryKey.normalise(TargetForm.canonicalQuery(req.getQueryString()), settings.keySortQuery(),
            settings.keyIgnoreParams()));
  }

  /**
   * Whether the request carries a cookie that the deployment neither ignores nor keys on: then
   * its response is treated as personal, as RFC 9111 §3.5 treats one to {@code Authorization}.
   * A {@code Cookie} field that cannot be read as cookies counts as personal.
   */
  private boolean personalCookies(HttpServletRequest req) {
    if (req.getHeader("Cookie") == null || settings.keyHeaders().contains("cookie")) {
      return false;
    }
    List<CookiePairs.Pair> cookies = CookiePairs.parse(list(req.getHeaders("Cookie")));
    if (cookies == null) {
      return true;
    }
    for (CookiePairs.Pair c : cookies) {
      if (!settings.cookieIsHarmless(c.name())) {
        return true;
      }
    }
    return false;
  }

  /** The prefix of the pseudo-header names that carry key cookies through the vary rule. */
  private static final String COOKIE_FIELD = "edgecache-cookie-";

  /** The deployment's rules for storing: its defaults, and its key fields added to every vary rule. */
  private static StoragePlan.Rules storageRules(FilterSettings settings) {
    List<String> keyVary = new ArrayList<>(settings.keyHeaders());
    for (String cookie : settings.keyCookies()) {
      keyVary.add(COOKIE_FIELD + cookie);
    }
    return new StoragePlan.Rules(settings.storeSetCookie(), settings.errorMaxAge(),
        settings.staleWhileRevalidate(), settings.staleIfError(), settings.keepStale(), settings.heuristic(), keyVary,
        settings.statusRules());
  }

  /**
   * The request's fields as a vary rule reads them: real headers, and the configured key cookies
   * under pseudo names, so that the key's headers and cookies select variants of one primary key
   * (and a purge of the URL reaches them all).
   */
  private RequestHeaders varyFields(HttpServletRequest req) {
    return RequestHeaders.from(name -> {
      if (name.equals(ContentCoding.CODING_FIELD)) {
        return ContentCoding.variantOf(dev.edgecache.http.AcceptEncoding.parse(list(req.getHeaders("Accept-Encoding"))));
      }
      if (name.startsWith(COOKIE_FIELD)) {
        // Vary names are compared without case; the configured name, with its case, is the one
        // whose values key the variant, exactly as sent.
        String cookie = keyCookie(name.substring(COOKIE_FIELD.length()));
        List<String> values = new ArrayList<>(1);
        List<CookiePairs.Pair> cookies = CookiePairs.parse(list(req.getHeaders("Cookie")));
        if (cookies != null) {
          for (CookiePairs.Pair c : cookies) {
            if (c.name().equals(cookie)) {
              values.add(c.value());
            }
          }
        }
        return values;
      }
      return VaryRule.normalise(name, list(req.getHeaders(name)));
    });
  }

  /** The configured key cookie whose name is {@code name} without regard to case. */
  private String keyCookie(String name) {
    for (String c : settings.keyCookies()) {
      if (c.equalsIgnoreCase(name)) {
        return c;
      }
    }
    return name;
  }

  /** One GET or HEAD through the cache. */
  private final class Exchange {
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final FilterChain chain;
    private final RequestKey key;
    private final CacheControl requestCc;
    /** Set when a 304 made the stored object unstorable: it is served once, then purged. */
    private boolean dropAfterServing;

    Exchange(HttpServletRequest req, HttpServletResponse res, FilterChain chain) {
      this.req = req;
      this.res = res;
      this.chain = chain;
      this.key = keyOf(req);
      this.requestCc = CacheControl.forRequest(list(req.getHeaders("Cache-Control")), list(req.getHeaders("Pragma")));
    }

    CacheStatus status(CacheStatus.Forward forward) {
      CacheStatus s = forward == null ? CacheStatus.hit(settings.cacheName())
          : CacheStatus.forward(settings.cacheName(), forward);
      return settings.debugKey() ? s.withKey(key.text()) : s;
    }

    void run() throws IOException, ServletException {
      CacheKey cacheKey = key.cacheKey();
      LookupOptions options = LookupOptions.builder().requestHeaders(varyFields(req)).build();
      CacheEntry entry;
      try {
        if (req.isAsyncSupported()) {
          CompletableFuture<CacheEntry> lookup = cache.transactionLookupAsync(cacheKey, options).toCompletableFuture();
          if (!lookup.isDone()) {
            waitWithoutThread(lookup);
            return;
          }
          entry = joined(lookup);
        } else {
          // the chain cannot go async: the wait blocks this thread, for the lock timeout at most
          entry = cache.transactionLookup(cacheKey, options);
        }
      } catch (IllegalArgumentException tooLong) {
        pass(status(CacheStatus.Forward.BYPASS).withDetail("key too long"));
        return;
      }
      handle(entry);
    }

    /** The entry of a lookup that is done, its failure thrown as it was. */
    private CacheEntry joined(CompletableFuture<CacheEntry> lookup) {
      try {
        return lookup.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
    }

    /**
     * Suspends the request until its lookup is done (Servlet async: no thread is held). A usable
     * object, streaming or whole, is then written with non-blocking output; ownership of the
     * key, or a lookup that must go to the origin, comes back to the filter in a dispatch, since
     * only a container dispatch may run the application.
     */
    private void waitWithoutThread(CompletableFuture<CacheEntry> lookup) {
      AbortableResponse guarded = new AbortableResponse(res);
      AsyncContext async = req.startAsync(req, guarded);
      async.setTimeout(0); // the lookup is bounded by the lock timeout, a body by its writer
      Resumption resumption = new Resumption(lookup, EdgeCacheFilter::warnNotMappedForAsync);
      async.addListener(resumption);
      lookup.whenComplete((entry, failure) -> arrived(async, guarded, resumption, entry, failure));
    }

    /** The lookup of a suspended request is done: serve, or dispatch back to the filter. */
    private void arrived(AsyncContext async, AbortableResponse guarded, Resumption resumption,
        CacheEntry entry, Throwable failure) {
      if (failure instanceof java.util.concurrent.CancellationException) {
        return; // the request ended while it waited
      }
      if (failure != null) {
        LOG.log(Level.FINE, "lookup failed; the request passes", failure);
        resumption.pass();
      } else if (entry.has(LookupState.USABLE) && !entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
        try {
          async.start(() -> serveWithoutThread(async, guarded, resumption, entry));
        } catch (IllegalStateException over) {
          entry.close(); // the request ended meanwhile
        }
        return;
      } else {
        resumption.handle(entry);
      }
      dispatch(async, resumption, entry);
    }

    private void dispatch(AsyncContext async, Resumption resumption, CacheEntry entry) {
      req.setAttribute(Resumption.ATTRIBUTE, resumption);
      // what the client sees if the dispatch goes straight to the application; the filter,
      // mapped for ASYNC as it should be, replaces it
      res.setHeader("Cache-Status", status(CacheStatus.Forward.BYPASS).withDetail("dispatch not filtered").toString());
      try {
        async.dispatch();
      } catch (IllegalStateException over) {
        if (entry != null && Resumption.take(req) != null) {
          entry.close(); // the request ended meanwhile
        }
      }
    }

    /** Serves a usable entry to a suspended request, its body with non-blocking output. */
    private void serveWithoutThread(AsyncContext async, AbortableResponse guarded, Resumption resumption,
        CacheEntry entry) {
      Optional<StoredHead> head = entry.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode);
      if (head.isEmpty()) {
        entry.close();
        cache.purge(key.cacheKey());
        resumption.pass();
        dispatch(async, resumption, null);
        return;
      }
      CacheStatus s = countServed(entry, entry.has(LookupState.STALE));
      List<CachedResponses.Part> body = CachedResponses.prepare(req, res, entry, head.get(), s,
          settings.maxRanges(), cache.clock().millis());
      if (body.isEmpty()) {
        entry.close();
        async.complete();
        return;
      }
      if (body.get(0).gunzip()) {
        // decoding has no non-blocking form here: this thread of the container's writes it
        try (entry) {
          CachedResponses.write(res, entry, body, stats.bytesFromCache);
        } catch (IOException e) {
          LOG.log(Level.FINE, "a decoded body failed midway", e);
          guarded.abort(e);
        } finally {
          async.complete();
        }
        return;
      }
      try {
        new NonBlockingBodyWriter(async, entry, body, res.getOutputStream(), stats.bytesFromCache, failure -> {
          // the object's write failed midway: the response must break off, never end as whole
          guarded.abort(failure);
          resumption.abort(failure);
          dispatch(async, resumption, null);
        }, failure -> {
          // it failed before its first byte (a store that went away): the origin answers
          LOG.log(Level.FINE, "stored body unreadable; passing to the origin", failure);
          res.reset();
          resumption.pass();
          dispatch(async, resumption, null);
        }).start();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "client gone before its body", e);
        entry.close();
        async.complete();
      }
    }

    /**
     * Serves the owner's own client from the object its fill is writing, by a thread of the
     * filter's, as a waiter is served: the fill goes at the origin's pace whatever this client
     * does. The response goes async; the follower completes it once the body is written. False,
     * and nothing changed, if the application went async itself, the object cannot be read
     * back, or the request cannot go async here.
     */
    private boolean followOwnFill(CacheEntry readBack, CacheStatus status, TeeResponse tee, BodySink sink) {
      Optional<StoredHead> head = readBack.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode);
      if (head.isEmpty() || CachedResponses.decodes(req, head.get())) {
        // a body to decode is the origin's for this client, which already has its coded fields
        readBack.close();
        return false;
      }
      if (!req.isAsyncSupported()) {
        // A servlet that is not async-supported (Tomcat's DefaultServlet): normal, and no error;
        // the container would refuse startAsync with a warning.
        readBack.close();
        return false;
      }
      if (req.isAsyncStarted()) {
        // An application that went async writes on threads of its own and ends the response
        // itself; its completion, timeout and failure then belong to it, so its client is written
        // through the fill.
        readBack.close();
        return false;
      }
      AsyncContext async;
      try {
        async = req.startAsync(req, res);
        async.setTimeout(0); // the follower ends it; a stalled client, the container's idle timeout
      } catch (IllegalStateException cannot) {
        readBack.close();
        return false;
      }
      tee.storeOnly(sink, async); // before the follower starts: its completion is not the fill's end
      List<CachedResponses.Part> body = CachedResponses.prepare(req, res, readBack, head.get(), status,
          settings.maxRanges(), cache.clock().millis());
      try {
        ownClients.execute(() -> writeOwnClient(async, readBack, body, tee));
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        writeOwnClient(async, readBack, body, tee); // the filter is being destroyed: no detour
      }
      return true;
    }

    /** Writes the body of the object being filled to the fill's own client, then completes. */
    private void writeOwnClient(AsyncContext async, CacheEntry readBack, List<CachedResponses.Part> body,
        TeeResponse tee) {
      boolean dispatched = false;
      try {
        RefusedHead.writeOutIfLarge(res);
        CachedResponses.write(res, readBack, body, new java.util.concurrent.atomic.LongAdder());
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "the body of a fill did not reach its own client whole", e);
        if (RefusedHead.in(e)) {
          // the container cannot write this head: the object would fail every client the same way
          cache.purge(key.cacheKey());
          stats.notStored.add("head-refused");
          if (!res.isCommitted()) {
            res.reset();
            res.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
            res.setHeader("Cache-Status", status(CacheStatus.Forward.URI_MISS).withDetail("head too large").toString());
            res.setContentLength(0);
          } // else the container answers itself (Jetty's 500): it took the head as written
        } else if (!res.isCommitted() && tee.originFailed()) {
          // the origin failed before a byte of its body reached this client: a clean 502
          res.reset();
          res.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
          res.setHeader("Cache-Status", status(CacheStatus.Forward.URI_MISS).withDetail("origin failed").toString());
          res.setContentLength(0);
        } else if (!res.isCommitted()) {
          // No byte reached this client, and the origin's response was good: the store failed
          // under it (a cluster that went away). The client still gets its page: once more from
          // the origin, uncached, through an ASYNC dispatch that runs once the fill's has returned.
          res.reset();
          Resumption again = new Resumption(CompletableFuture.completedFuture(null),
              EdgeCacheFilter::warnNotMappedForAsync);
          again.pass();
          req.setAttribute(Resumption.ATTRIBUTE, again);
          try {
            async.dispatch();
            dispatched = true;
          } catch (IllegalStateException over) {
            req.removeAttribute(Resumption.ATTRIBUTE); // the container ended it already
          }
        } else {
          // the fill failed midway, or the client went: its declared length says the body is short
          ConnectionBreaker.breakOff(res);
        }
      } finally {
        readBack.close();
        if (!dispatched) {
          try {
            async.complete();
          } catch (IllegalStateException over) {
            // the container ended it already (its client went)
          }
        }
      }
    }

    /** A suspended request dispatched back to the filter does what its lookup decided. */
    void resume(Resumption resumed) throws IOException, ServletException {
      switch (resumed.action()) {
        case HANDLE -> handle(resumed.entry());
        case PASS -> pass(status(CacheStatus.Forward.BYPASS).withDetail("lookup failed"));
        case ABORT -> {
          ConnectionBreaker.breakOff(res);
          throw resumed.failure();
        }
      }
    }

    /** What the lookup gave: serve it, pass, or fill the key. */
    private void handle(CacheEntry entry) throws IOException, ServletException {
      boolean handedOff = false;
      try {
        if (entry.has(LookupState.USABLE)) {
          serveFromCache(entry, entry.has(LookupState.STALE));
          return;
        }
        if (requestCc.onlyIfCached()) {
          // RFC 9111 §5.2.1.7: nothing stored that may be used, and the origin is not to be asked
          entry.cancel();
          res.setStatus(HttpServletResponse.SC_GATEWAY_TIMEOUT);
          res.setHeader("Cache-Control", "no-store");
          res.setHeader("Cache-Status", status(CacheStatus.Forward.URI_MISS).withDetail("only-if-cached").toString());
          res.setContentType("text/plain;charset=utf-8");
          res.getWriter().print("504 Gateway Timeout\n");
          return;
        }
        if (!entry.has(LookupState.MUST_INSERT_OR_UPDATE) || requestCc.noStore()) {
          // Nothing of this origin response may be stored: let the next waiter fill the key,
          // and answer this request from the origin as it is.
          entry.cancel();
          pass(status(CacheStatus.Forward.URI_MISS).withDetail("request"));
          return;
        }
        handedOff = fill(entry);
      } finally {
        if (!handedOff) {
          entry.close();
        }
      }
    }

    private void serveFromCache(CacheEntry entry, boolean stale) throws IOException, ServletException {
      Optional<StoredHead> head = entry.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode);
      if (head.isEmpty()) {
        // Not an HTTP object: someone else's key, or damaged. Never served.
        entry.cancel();
        cache.purge(key.cacheKey());
        pass(status(CacheStatus.Forward.BYPASS).withDetail("unreadable object"));
        return;
      }
      CacheStatus s = countServed(entry, stale);
      try {
        CachedResponses.serve(req, res, entry, head.get(), s, settings.maxRanges(), cache.clock().millis(), stats.bytesFromCache);
      } catch (IOException | RuntimeException e) {
        // a store's reader should fail with IOException; one that throws anything else is no
        // reason for the client to get the container's error page either
        if (!res.isCommitted()) {
          // The stored body could not be read before anything went out (a store that failed, a
          // chunk gone): the client still gets its page, from the origin, uncached.
          LOG.log(Level.FINE, "stored body unreadable; passing to the origin", e);
          res.reset();
          if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
            entry.cancel();
          }
          pass(status(CacheStatus.Forward.BYPASS).withDetail("stored body unreadable"));
          return;
        }
        // the body being followed failed midway (or the client went): never end it as whole
        ConnectionBreaker.breakOff(res);
        throw e instanceof IOException io ? io : new IOException("the stored body failed midway", e);
      }
      if (entry.has(LookupState.MUST_INSERT_OR_UPDATE)) {
        // Stale-while-revalidate (RFC 5861 §3): the client has its whole response; this request
        // then refreshes the object for everyone, its output going to the cache only.
        res.flushBuffer();
        fetch(entry, head.get(), true);
      }
    }

    /** Counts and reports an object served from the cache; its {@code Cache-Status}. */
    private CacheStatus countServed(CacheEntry entry, boolean stale) {
      long ttl = entry.maxAge().map(Duration::toSeconds).orElse(0L) - entry.age().map(Duration::toSeconds).orElse(0L);
      if (entry.collapsed()) {
        stats.collapsed.increment();
        report(req, key, RequestOutcome.COLLAPSED);
        return status(CacheStatus.Forward.URI_MISS).withCollapsed(true);
      }
      if (stale) {
        stats.staleServed.increment();
        report(req, key, RequestOutcome.STALE);
        return status(CacheStatus.Forward.STALE).withTtl(ttl);
      }
      stats.hits.increment();
      report(req, key, RequestOutcome.HIT);
      return status(null).withTtl(ttl);
    }

    /** Runs the chain as a request that bypasses the cache. */
    void pass(CacheStatus s) throws IOException, ServletException {
      stats.bypassed.increment();
      stats.passes.add(s.detail() != null ? s.detail() : s.forward() != null ? s.forward().token() : "bypass");
      stats.originFetches.increment();
      report(req, key, RequestOutcome.PASS);
      TeeResponse pass = new TeeResponse(res, stats, r -> {
        r.setHeader("Cache-Status", s.withForwardStatus(r.getStatus()).toString());
        return TeeResponse.Mode.PASS;
      });
      runThrough(req, pass, chain);
    }

    /** Fills the key; returns true if an async request will end the fill (and close the entry). */
    private boolean fill(CacheEntry entry) throws IOException, ServletException {
      StoredHead stale = entry.has(LookupState.FOUND)
          ? entry.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode).orElse(null) : null;
      return fetch(entry, stale, false);
    }

    /**
     * Runs the chain for the key this request owns. With a stale object that has validators,
     * the origin is asked conditionally and a 304 freshens the object (RFC 9111 §4.3.3). In the
     * background (after a stale-while-revalidate response), nothing reaches the client and a
     * failure keeps the stale object.
     */
    private boolean fetch(CacheEntry entry, StoredHead stale, boolean background)
        throws IOException, ServletException {
      if (!background) {
        stats.misses.increment();
      }
      stats.originFetches.increment();
      long requestTime = cache.clock().millis();
      boolean staleIfError = !background && entry.has(LookupState.USABLE_IF_ERROR);
      // RFC 9111 §4.2.4: a cache whose origin cannot be reached may serve what it has stale
      boolean staleIfUnreachable = !background && stale != null
          && !StaleServing.forbidden(StoragePlan.directives(stale), stale.status());
      BooleanSupplier staleUsable = () -> staleIfError
          || (staleIfUnreachable && req.getAttribute(ORIGIN_UNREACHABLE) != null);
      String etag = stale == null ? null : stale.first("etag");
      String lastModified = stale == null ? null : stale.first("last-modified");
      boolean conditional = etag != null || lastModified != null;
      boolean head = "HEAD".equals(req.getMethod());
      // A client's own conditionals and ranges never reach the origin on a fill: the whole object
      // is fetched and stored, and the client's answer is cut from it on the way (ColdAnswer).
      boolean cold = req.getHeader("Range") != null || req.getHeader("If-None-Match") != null
          || req.getHeader("If-Modified-Since") != null;
      HttpServletRequest toOrigin = conditional || background || cold
          ? new RevalidationRequest(req, etag, lastModified, background, cache.clock()) : req;
      HttpServletResponse target = background ? new DetachedResponse(res)
          : cold && !conditional ? new ColdAnswer(req, res, settings.maxRanges(), cache.clock()) : res;
      if (head) {
        toOrigin = HeadAsGet.request(toOrigin);
        target = background ? target : HeadAsGet.response(target);
      }
      StoredHead revalidating = conditional ? stale : null;
      HttpServletRequest asked = toOrigin;
      // A plain GET fill whose client can be written without a thread: its client may then be
      // served from the object, so that a slow client slows nobody else's fill.
      boolean mayDetach = !background && !cold && !conditional && !head && req.isAsyncSupported();
      TeeResponse tee = new TeeResponse(target, stats, new TeeResponse.Decider() {
        @Override
        public TeeResponse.Mode decide(TeeResponse r) {
          return Exchange.this.decide(r, asked, entry, requestTime, staleUsable.getAsBoolean(), background, revalidating,
              mayDetach);
        }

        @Override
        public void unstore(TeeResponse r) {
          cache.purge(key.cacheKey());
        }

        @Override
        public void answerRefusedHead(HttpServletResponse client) {
          LOG.fine(() -> "the container refused the head of " + key.text() + ": 502, not stored");
          client.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
          client.setHeader("Cache-Status", status(CacheStatus.Forward.URI_MISS).withDetail("head too large").toString());
          client.setContentLength(0);
        }

        @Override
        public boolean stillStorable(TeeResponse r) {
          // A cookie set after the decision (getSession() after the first write, THREATS 8)
          // makes the response personal: it is not stored.
          return settings.storeSetCookie() || r.getHeaders("Set-Cookie").isEmpty();
        }
      });
      FillCompletion completion = new FillCompletion(tee, entry, stats.stored, settings.lockTimeout(), ownClients, cache.clock());
      if (!background) {
        toOrigin = new CompletionAwareRequest(toOrigin, completion);
      }
      RequestOutcome outcome = RequestOutcome.MISS;
      try {
        try {
          chain.doFilter(toOrigin, tee);
        } catch (IOException | ServletException | RuntimeException | Error e) {
          if (TeeResponse.StoreWriteFailed.in(e)) {
            tee.dropFailedSink(); // the store's failure, under a good response
          } else {
            tee.abortSink();
          }
          if (tee.clientDetached()) {
            // its follower learns from the object that the body failed, and breaks the response
            LOG.log(Level.FINE, "origin failed midway; the client served from the object is cut off", e);
            return false;
          }
          if (background) {
            LOG.log(Level.FINE, "background revalidation failed; the stale object stays", e);
            entry.cancel();
            return false;
          }
          if (staleUsable.getAsBoolean() && !res.isCommitted()) {
            LOG.log(Level.FINE, "origin failed; serving stale if error", e);
            res.reset();
            outcome = serveStaleIfError(entry, null);
            return false;
          }
          if (res.isCommitted()) {
            ConnectionBreaker.breakOff(res); // the client must not take the short body for whole
          }
          throw e;
        }
        if (!background && (completion.isAsyncStarted() || (req.isAsyncStarted() && !tee.clientDetached()))) {
          // The response ends later, when the async request completes; so does the transaction.
          if (!completion.isAsyncStarted()) {
            req.getAsyncContext().addListener(completion);
          }
          return true;
        }
        if (tee.finish()) {
          stats.stored.increment();
        }
        if (background) {
          entry.cancel(); // whatever the outcome, the key is free again
          return false;
        }
        if (tee.notModified() != null) {
          res.reset();
          stats.staleServed.increment();
          outcome = RequestOutcome.REVALIDATED;
          CachedResponses.serve(req, res, entry, tee.notModified(),
              status(CacheStatus.Forward.STALE).withForwardStatus(304), settings.maxRanges(),
              cache.clock().millis(), stats.bytesFromCache);
          if (dropAfterServing) {
            cache.purge(key.cacheKey());
          }
        } else if (tee.endedIn() == TeeResponse.State.DISCARDING) {
          res.reset();
          outcome = serveStaleIfError(entry, tee.getStatus());
        }
        return false;
      } finally {
        if (!background) {
          report(req, key, outcome);
        }
      }
    }

    /** Serves the stale object for a failed origin, or 502 if it cannot be read. */
    private RequestOutcome serveStaleIfError(CacheEntry entry, Integer originStatus) throws IOException {
      StoredHead head = entry.userMetadata(MAX_HEAD_BYTES).flatMap(heads::decode).orElse(null);
      if (head == null) {
        res.sendError(HttpServletResponse.SC_BAD_GATEWAY);
        return RequestOutcome.MISS;
      }
      stats.staleServed.increment();
      CacheStatus s = status(CacheStatus.Forward.STALE)
          .withDetail(entry.has(LookupState.USABLE_IF_ERROR) ? "stale-if-error" : "origin-unreachable");
      CachedResponses.serve(req, res, entry, head,
          originStatus == null ? s : s.withForwardStatus(originStatus), settings.maxRanges(),
          cache.clock().millis(), stats.bytesFromCache);
      return RequestOutcome.STALE_IF_ERROR;
    }

    /** The commit-time decision: store, pass, or hold back a 5xx for a stale object. */
    private TeeResponse.Mode decide(TeeResponse r, HttpServletRequest asked, CacheEntry entry, long requestTime,
        boolean staleUsable, boolean background, StoredHead revalidating, boolean detachable) {
      int statusCode = r.getStatus();
      if (statusCode >= 500 && (staleUsable || background)) {
        return TeeResponse.Mode.DISCARD;
      }
      long responseTime = cache.clock().millis();
      List<StoredHead.Field> fields = new ArrayList<>();
      for (String name : r.getHeaderNames()) {
        for (String value : r.getHeaders(name)) {
          fields.add(new StoredHead.Field(name.toLowerCase(java.util.Locale.ROOT), value));
        }
      }
      if (fields.stream().noneMatch(f -> f.name().equals("date"))) {
        // Tomcat adds its Date only as the response commits, after this decision. RFC 9110
        // §6.6.1: a recipient that caches or forwards a response without Date appends one, the
        // time it received it; the client gets the same one, and every hit the stored one.
        String date = dev.edgecache.http.HttpDates.format(responseTime);
        fields.add(new StoredHead.Field("date", date));
        r.setHeader("Date", date);
      }
      fields.addAll(r.edgeFields());
      StoredHead response = new StoredHead(statusCode, fields);
      if (revalidating != null && statusCode == HttpServletResponse.SC_NOT_MODIFIED) {
        return freshen(r, asked, entry, revalidating, response, requestTime, responseTime);
      }
      StoragePlan plan = r.tainted() ? StoragePlan.pass(StorePolicy.Decision.STATUS)
          : StoragePlan.of(requestFacts(asked, true), response, rules, requestTime, responseTime);
      StorePolicy.Decision decision = plan.decision();
      CacheStatus s = status(CacheStatus.Forward.URI_MISS).withForwardStatus(statusCode);
      if (plan.stores()) {
        WriteOptions options = inScopes(plan.options());
        boolean negotiated = settings.gzip() && ContentCoding.negotiable(plan.head(), options.length().orElse(-1));
        // the gzip variant of a compressible response the origin sent without a coding
        boolean gzipHere = negotiated && asksForGzip()
            && ContentCoding.gzipsAtEdge(plan.head(), options.length().orElse(-1));
        if (negotiated) {
          // two variants at most, whatever Accept-Encoding's spelling: gzip, and identity
          StoredHead head = gzipHere ? ContentCoding.gzippedHead(plan.head())
              : ContentCoding.negotiatedHead(plan.head());
          WriteOptions.Builder b = options.toBuilder().userMetadata(head.encode())
              .varyRule(ContentCoding.negotiatedRule(options.varyRule()));
          options = (gzipHere ? b.lengthUnknown() : b).build();
          if (!ContentCoding.variesOnCoding(r.getHeaders("Vary"))) {
            r.addHeader("Vary", "Accept-Encoding"); // this client's answer too: caches after this one
          }
        }
        try {
          // Detached only with a declared length: the store cannot refuse such a body midway
          // (it would have refused it whole), and its client always knows where it ends.
          boolean detach = !gzipHere && detachable && r.getHeader("Content-Length") != null
              && !r.servletWritesNonBlocking();
          dev.edgecache.Insertion insertion = detach ? entry.insertAndStreamBack(options) : null;
          BodySink sink = insertion != null ? insertion.body() : entry.insert(options);
          if (!sink.stores()) {
            // the store refused it (larger than it keeps): it passes, and says so
            sink.abort();
            if (insertion != null) {
              insertion.entry().close();
            }
            stats.notStored.add("store-refused");
            r.setHeader("Cache-Status", s.withDetail("store-refused").toString());
            return TeeResponse.Mode.PASS;
          }
          CacheStatus stored = s.withStored(true).withTtl(options.maxAge().toSeconds());
          if (insertion != null && followOwnFill(insertion.entry(), stored, r, sink)) {
            return TeeResponse.Mode.STORE;
          }
          if (gzipHere) {
            try {
              sink = new GzipSink(sink);
            } catch (IOException e) {
              // the store refused the gzip header: the response passes, whole, to its client
              sink.abort();
              r.setHeader("Cache-Status", s.withDetail("store-refused").toString());
              return TeeResponse.Mode.PASS;
            }
          }
          r.tee(sink);
          if (gzipHere || r.getHeader("Content-Length") == null) {
            // A body of unknown length may yet be refused by the store: stored is said once it is.
            r.claimStoredAtEnd(s.withTtl(options.maxAge().toSeconds()).toString(), stored.toString());
          } else {
            r.setHeader("Cache-Status", stored.toString());
          }
          return TeeResponse.Mode.STORE;
        } catch (IllegalArgumentException | IllegalStateException e) {
          LOG.log(Level.FINE, "response not stored", e);
        }
      }
      if (decision == StorePolicy.Decision.COOKIE || decision == StorePolicy.Decision.AUTHORIZATION) {
        // Made for this request's credentials: the waiters go on their own, and nothing is
        // remembered, since a request without them may get a response that can be shared.
        entry.cancelUnshared();
      } else {
        entry.cancelNotCacheable();
      }
      String reason = decision.name().toLowerCase(java.util.Locale.ROOT);
      stats.notStored.add(reason);
      r.setHeader("Cache-Status", s.withDetail(reason).toString());
      return TeeResponse.Mode.PASS;
    }

    /** Whether this request asks for gzip (its coding variant). */
    private boolean asksForGzip() {
      return dev.edgecache.http.AcceptEncoding.parse(list(req.getHeaders("Accept-Encoding"))).asksFor("gzip");
    }

    /**
     * The options with the object's purge scopes: its host and its path prefixes. Interned, since
     * the objects of one directory share them and an in-memory store keeps each object's set.
     */
    private WriteOptions inScopes(WriteOptions options) {
      List<String> scopes = dev.edgecache.http.PurgeScopes.of(key);
      scopes.replaceAll(String::intern);
      return options.toBuilder().purgeScopes(scopes).build();
    }

    /**
     * What counts of the request for storing: {@code asked} is the request the origin answered (a
     * background refresh sends no credentials, and its answer is judged as one to a request
     * without them); with {@code credentials} false they are not judged at all.
     */
    private StorePolicy.Request requestFacts(HttpServletRequest asked, boolean credentials) {
      return new StorePolicy.Request(req.getMethod(), requestCc,
          credentials && asked.getHeader("Authorization") != null, credentials && personalCookies(asked));
    }

    /**
     * The origin confirmed the stored object: its fields are replaced by those of the 304
     * (RFC 9111 §3.2), its freshness starts again, and its body stays.
     */
    private TeeResponse.Mode freshen(TeeResponse r, HttpServletRequest asked, CacheEntry entry, StoredHead stored,
        StoredHead notModified, long requestTime, long responseTime) {
      StoredHead merged = ContentCoding.afterRevalidation(NotModified.merge(stored, notModified));
      // The request's credentials are not judged again: the 304 says the stored body, which a
      // request without them fetched, is still the one; only the merged directives can forbid it.
      StoragePlan plan = StoragePlan.of(requestFacts(asked, false), merged, rules, requestTime, responseTime);
      if (!plan.stores()) {
        // RFC 9111 §4.3.4: the merged response is what is stored; if it may no longer be stored
        // (the 304 said private or no-store), this client gets it once and it is removed.
        entry.cancel();
        r.notModified(merged);
        dropAfterServing = true;
        return TeeResponse.Mode.DISCARD;
      }
      WriteOptions options = inScopes(plan.options());
      if (plan.head().first(ContentCoding.NEGOTIATED) != null) {
        options = options.toBuilder().varyRule(ContentCoding.negotiatedRule(options.varyRule())).build();
      }
      try {
        entry.update(options);
      } catch (IllegalArgumentException | IllegalStateException e) {
        LOG.log(Level.FINE, "a 304 could not freshen the object", e);
      }
      r.notModified(plan.head());
      return TeeResponse.Mode.DISCARD;
    }
  }
}
