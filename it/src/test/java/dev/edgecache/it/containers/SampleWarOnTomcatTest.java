package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample WAR as a user deploys it to Tomcat: the WAR file itself, its {@code web.xml}, Weld
 * from its {@code WEB-INF/lib}, the CDI filter. A smoke test: the front page, a hit, a collapse.
 */
class SampleWarOnTomcatTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static Tomcat tomcat;
  private static Connector connector;
  private static Context app;
  /** What Weld and Tomcat log: opened before the deployment, so its leak checks are seen too. */
  private static LogWatch log;

  @BeforeEach
  void deploy() throws Exception {
    deploy(java.util.Map.of());
  }

  /** Deploys the WAR with these context parameters, as Tomcat's {@code <Parameter>} sets them. */
  private static void deploy(java.util.Map<String, String> contextParams) throws Exception {
    String war = System.getProperty("sample.war");
    assertTrue(war != null && new File(war).isFile(), "no sample WAR at " + war + ": build war-sample first");
    log = new LogWatch();
    File base = Files.createTempDirectory("tomcat-war").toFile();
    base.deleteOnExit();
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.getAbsolutePath());
    connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    tomcat.getHost().setAppBase(base.getAbsolutePath());
    tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP engine here: the WAR's own web.xml only
    app = tomcat.addWebapp("", war);
    contextParams.forEach(app::addParameter);
    Tomcat.addDefaultMimeTypeMappings(app);
    Tomcat.addServlet(app, "default", new org.apache.catalina.servlets.DefaultServlet());
    app.addServletMappingDecoded("/", "default");
    tomcat.start();
  }

  @AfterEach
  void undeploy() throws Exception {
    stop();
  }

  private static void stop() throws Exception {
    log.close();
    tomcat.stop();
    tomcat.destroy();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Requests that wait for another's fill are suspended and end on other threads: Weld's request
   * contexts must still be left as they were found on every thread (Tomcat fires the CDI request
   * listener's calls on different threads for async requests), and undeploying finds no thread
   * local of the application's left behind.
   */
  @Test
  void collapsedRequestsLeaveNoCdiContextOrThreadLocalBehind() throws Exception {
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort()
            + "/slow?round=" + round)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      Set<String> bodies = new HashSet<>();
      for (CompletableFuture<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        bodies.add(r.body());
      }
      assertEquals(1, bodies.size(), "one origin answer per collapse: " + bodies);
      // and requests that are not suspended, on the same threads afterwards
      for (int i = 0; i < 20; i++) {
        assertEquals(200, get("/pages/tagged").statusCode());
      }
    }
    app.stop(); // Tomcat's leak checks run as the application stops
    app = null;
    // Weld ends the workers of its asynchronous observers as the application stops, and Tomcat
    // looks for threads the application started at that same moment: a worker still in its last
    // instructions is reported. Such a worker must end, or it is a leak; its report is then no
    // problem of the application's.
    List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("weld-worker-") && t.getContextClassLoader() != null
            && t.getContextClassLoader().getClass().getName().startsWith("org.apache.catalina.loader."))
        .toList();
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertEquals(List.of(), workers.stream().filter(Thread::isAlive).map(Thread::getName).toList(),
        "Weld's workers outlived the application");
    List<String> problems = new ArrayList<>();
    for (String line : log.lines()) {
      boolean endedWorker = line.contains("started a thread named [weld-worker-");
      if (!endedWorker && (line.contains("WELD-") || line.contains("ThreadLocal") || line.contains("memory leak"))) {
        problems.add(line);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theFrontPageAPageThatHitsAndACollapse() throws Exception {
    HttpResponse<String> front = get("/");
    assertEquals(200, front.statusCode());
    assertTrue(front.body().contains("Cache-Status"), "the front page says what to look for");

    HttpResponse<String> first = get("/pages/tagged");
    assertEquals(200, first.statusCode());
    assertTrue(first.headers().firstValue("Cache-Status").orElse("").contains("stored"),
        first.headers().firstValue("Cache-Status").orElse("no Cache-Status"));
    HttpResponse<String> hit = get("/pages/tagged");
    assertEquals(first.body(), hit.body());
    assertTrue(hit.headers().firstValue("Cache-Status").orElse("").contains("hit"));

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/slow"))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> bodies = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      bodies.add(a.get(30, TimeUnit.SECONDS).body());
    }
    assertEquals(Set.of("slow page, origin call #1\n"), bodies);

    // undeployed, the application leaves no thread of the cache behind (its class loader with it)
    app.stop();
    app = null;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.isAlive() && t.getName().startsWith("edgecache") && t.getContextClassLoader() != null
          && t.getContextClassLoader() != SampleWarOnTomcatTest.class.getClassLoader(), "left behind: " + t);
    }
  }

  /** One rule for every way of configuring: {@code edgecache.NAME} reaches the CDI filter too. */
  @Test
  void settingsGivenAsTomcatParametersReachTheCdiFilter() throws Exception {
    stop();
    deploy(java.util.Map.of("edgecache.cache-name", "from-tomcat"));
    HttpResponse<String> page = get("/pages/tagged");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Cache-Status").orElse("").startsWith("from-tomcat;"),
        page.headers().toString());
  }

  @Test
  void aMisspelledSettingFailsTheDeploymentNamingIt() throws Exception {
    stop();
    deploy(java.util.Map.of("edgecache.status-tl", "404=30"));
    assertTrue(get("/pages/tagged").statusCode() >= 404, "the application is not served");
    String said = String.join("\n", log.lines());
    assertTrue(said.contains("unknown context parameter 'edgecache.status-tl' (did you mean edgecache.status-ttl?)"),
        said);
  }
}
