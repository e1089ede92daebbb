package dev.edgecache.cdi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.http.RequestKey;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.servlet.RequestOutcome;
import io.restassured.RestAssured;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet and CDI beans in one web application on Jetty 12 with Weld: the filter registered
 * without {@code web.xml} or declared with init-params, one cache for the filter and for
 * {@code @Inject EdgeCache}, purges both ways, outcome and purge events observed.
 */
class CdiWebTest {
  /** The application's page source: counts how often the origin really ran. */
  @ApplicationScoped
  public static class Catalogue {
    final AtomicInteger calls = new AtomicInteger();

    String render(String path) {
      return path + " #" + calls.incrementAndGet();
    }

    int calls() {
      return calls.get();
    }
  }

  /** The origin servlet, made by Jetty and injected by Weld. */
  public static class Pages extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    transient Catalogue catalogue;

    @Inject
    transient Event<PurgeRequest> purges;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
      if (path.equals("/publish")) {
        // the application purges programmatically: everything tagged "pages"
        purges.fire(PurgeRequest.surrogateKey("pages"));
        res.setStatus(204);
        return;
      }
      if (path.equals("/publish-section")) {
        // or everything under a path of this host, in one step
        purges.fire(PurgeRequest.prefix(req.getServerName(), "/pages/section"));
        res.setStatus(204);
        return;
      }
      res.setHeader("Cache-Control", "max-age=60");
      res.setHeader("Surrogate-Key", "pages");
      res.setContentType("text/plain");
      res.getWriter().print(catalogue.render(path));
    }
  }

  /** The application's edge cache configuration, by CDI. */
  @ApplicationScoped
  public static class Configuration {
    @Produces
    FilterMapping mapping() {
      return FilterMapping.of("/pages/*");
    }

    @Produces
    FilterSettings settings() {
      return FilterSettings.fromInitParams(Map.of("cache-name", "cdi-edge", "admin-token", "a-secret-of-32-characters-or-so")::get);
    }
  }

  /** A mapping without settings. */
  @ApplicationScoped
  public static class MappingOnly {
    @Produces
    FilterMapping mapping() {
      return FilterMapping.of("/*");
    }
  }

  @ApplicationScoped
  public static class Watcher {
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    final List<CachePurged> purges = new CopyOnWriteArrayList<>();
    final CountDownLatch asyncPurge = new CountDownLatch(1);

    void outcome(@Observes CacheOutcome o) {
      outcomes.add(o.outcome() + " " + o.key().substring(o.key().lastIndexOf('/')));
    }

    void purged(@ObservesAsync CachePurged p) {
      purges.add(p);
      asyncPurge.countDown();
    }

    List<String> outcomes() {
      return outcomes;
    }

    CachePurged firstPurge() throws InterruptedException {
      assertTrue(asyncPurge.await(10, TimeUnit.SECONDS), "no purge event");
      return purges.get(0);
    }
  }

  private WeldJetty app;

  private void start(Map<String, String> declaredFilter, Class<?>... beans) throws Exception {
    app = new WeldJetty(Pages.class, declaredFilter, beans);
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = app.port();
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  private int originCalls() {
    return app.weld.select(Catalogue.class).get().calls();
  }

  private CacheKey keyOf(String path) {
    return new RequestKey("http", "127.0.0.1", app.port(), path, null).cacheKey();
  }

  /**
   * What the injected cache holds for a page as REST Assured's requests asked for it: with gzip,
   * which is the filter's coding variant of a text page ({@code ContentCoding.CODING_FIELD}).
   */
  private static java.util.Optional<dev.edgecache.CacheEntry> storedForGzip(EdgeCache cache, CacheKey key) {
    return cache.lookup(key, dev.edgecache.LookupOptions.builder()
        .requestHeaders(dev.edgecache.RequestHeaders.of(dev.edgecache.http.ContentCoding.CODING_FIELD, "gzip")).build());
  }

  @Test
  void theFilterIsRegisteredWithoutWebXmlOnTheMappedPathsOnly() throws Exception {
    start(null, Catalogue.class, Configuration.class);
    given().get("/pages/a").then().statusCode(200).body(equalTo("/pages/a #1"))
        .header("Cache-Status", containsString("cdi-edge; fwd=uri-miss"));
    given().get("/pages/a").then().body(equalTo("/pages/a #1")).header("Cache-Status", containsString("cdi-edge; hit"));
    given().get("/other").then().body(equalTo("/other #2")).header("Cache-Status", nullValue());
    given().get("/other").then().body(equalTo("/other #3"));
    assertEquals(3, originCalls());
  }

  @Test
  void anHttpPurgeIsSeenByTheInjectedCache() throws Exception {
    start(null, Catalogue.class, Configuration.class);
    given().get("/pages/b").then().statusCode(200);
    EdgeCache injected = app.weld.select(EdgeCache.class).get();
    assertTrue(storedForGzip(injected, keyOf("/pages/b")).isPresent(), "the filter stored into the injected cache");
    given().header("Authorization", "Bearer a-secret-of-32-characters-or-so").formParam("url", "http://127.0.0.1:" + app.port() + "/pages/b")
        .post("/_edge/purge").then().statusCode(200);
    assertFalse(storedForGzip(injected, keyOf("/pages/b")).isPresent(), "the HTTP purge reached the injected cache");
  }

  @Test
  void aProgrammaticPurgeIsSeenByTheFilter() throws Exception {
    start(null, Catalogue.class, Configuration.class);
    given().get("/pages/c").then().body(equalTo("/pages/c #1"));
    given().get("/pages/c").then().body(equalTo("/pages/c #1"));
    given().get("/publish").then().statusCode(204); // a servlet fires PurgeRequest for tag "pages"
    given().get("/pages/c").then().body(equalTo("/pages/c #2")).header("Cache-Status", containsString("fwd=uri-miss"));
    app.weld.select(EdgeCache.class).get().purge(keyOf("/pages/c")); // and through the cache itself
    given().get("/pages/c").then().body(equalTo("/pages/c #3"));
  }

  @Test
  void aProgrammaticPurgeOfAPrefixReachesEverythingUnderIt() throws Exception {
    start(null, Catalogue.class, Configuration.class, Watcher.class);
    given().get("/pages/section/1").then().body(equalTo("/pages/section/1 #1"));
    given().get("/pages/section/2/x").then().body(equalTo("/pages/section/2/x #2"));
    given().get("/pages/sections").then().body(equalTo("/pages/sections #3"));
    given().get("/publish-section").then().statusCode(204);
    given().get("/pages/section/1").then().body(equalTo("/pages/section/1 #4"));
    given().get("/pages/section/2/x").then().body(equalTo("/pages/section/2/x #5"));
    given().get("/pages/sections").then().body(equalTo("/pages/sections #3"));
    assertEquals(new CachePurged(CachePurged.Kind.SCOPE,
        dev.edgecache.http.PurgeScopes.prefix("127.0.0.1", "/pages/section"), false),
        app.weld.select(Watcher.class).get().firstPurge());
  }

  @Test
  void outcomesAndPurgesAreObserved() throws Exception {
    start(null, Catalogue.class, Configuration.class, Watcher.class);
    given().get("/pages/d");
    given().get("/pages/d");
    given().get("/other");
    given().get("/publish");
    Watcher watcher = app.weld.select(Watcher.class).get();
    assertEquals(List.of("MISS /d", "HIT /d"), watcher.outcomes(), "one event per request, none off the mapping");
    assertEquals(new CachePurged(CachePurged.Kind.SURROGATE_KEY, "pages", false), watcher.firstPurge());
  }

  @Test
  void aDeclaredFilterWithoutSettingsBeanTakesItsInitParamsAndSharesTheCache() throws Exception {
    start(Map.of("cache-name", "declared"), Catalogue.class, Watcher.class, MappingOnly.class);
    List<String> status = given().get("/anything").then().body(equalTo("/anything #1"))
        .extract().headers().getValues("Cache-Status");
    assertEquals(1, status.size(), "one filter: the initializer added none beside the declared one " + status);
    assertTrue(status.get(0).startsWith("declared; fwd=uri-miss"), status.get(0));
    given().get("/anything").then().body(equalTo("/anything #1")).header("Cache-Status", containsString("declared; hit"));
    assertEquals(1, originCalls());
    assertTrue(storedForGzip(app.weld.select(EdgeCache.class).get(), keyOf("/anything")).isPresent());
    assertEquals(List.of("MISS /anything", "HIT /anything"), app.weld.select(Watcher.class).get().outcomes());
  }

  @Test
  void withoutAMappingBeanTheRegisteredFilterLeavesEveryRequestAlone() throws Exception {
    start(null, Catalogue.class);
    given().get("/pages/e").then().body(equalTo("/pages/e #1")).header("Cache-Status", nullValue());
    given().get("/pages/e").then().body(equalTo("/pages/e #2"));
    assertFalse(storedForGzip(app.weld.select(EdgeCache.class).get(), keyOf("/pages/e")).isPresent());
  }

  @Test
  void stoppingTheApplicationStopsTheFiltersCacheWhenNothingInjectedIt() throws Exception {
    java.util.Set<Thread> before = cacheThreads();
    start(null, Catalogue.class, Configuration.class);
    given().get("/pages/f").then().statusCode(200); // the filter makes the cache; nobody injects it
    app.close();
    app = null;
    java.util.Set<Thread> left = cacheThreads();
    left.removeAll(before);
    assertTrue(left.isEmpty(), "threads of the cache outlived the application: " + left);
  }

  private static java.util.Set<Thread> cacheThreads() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("edgecache")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void badUrlPatternsAreRefused() {
    for (String bad : new String[] {"pages/*", "/pa*ges", "*.", "*.a/b", "/*/x"}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> FilterMapping.of(bad));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    UrlPatterns p = new UrlPatterns(List.of("/a/*", "*.css", "/exact", ""));
    assertTrue(p.matches("/a") && p.matches("/a/b/c") && p.matches("/x/y.css") && p.matches("/exact") && p.matches("/"));
    assertFalse(p.matches("/ab") || p.matches("/exact/more") || p.matches("/x.css/y") || p.matches("/b"));
  }
}
