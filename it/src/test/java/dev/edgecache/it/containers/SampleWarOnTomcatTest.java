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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  @BeforeAll
  static void deploy() throws Exception {
    String war = System.getProperty("sample.war");
    assertTrue(war != null && new File(war).isFile(), "no sample WAR at " + war + ": build war-sample first");
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
    Tomcat.addDefaultMimeTypeMappings(app);
    Tomcat.addServlet(app, "default", new org.apache.catalina.servlets.DefaultServlet());
    app.addServletMappingDecoded("/", "default");
    tomcat.start();
  }

  @AfterAll
  static void undeploy() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
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
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.isAlive() && t.getName().startsWith("edgecache") && t.getContextClassLoader() != null
          && t.getContextClassLoader() != SampleWarOnTomcatTest.class.getClassLoader(), "left behind: " + t);
    }
  }
}
