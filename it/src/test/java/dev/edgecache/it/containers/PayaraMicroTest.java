package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.servlet.EdgeCacheFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter on Payara Micro (GlassFish's web container, on Grizzly), as a user deploys it: a WAR
 * with the filter's jar in {@code WEB-INF/lib} and a {@code web.xml} that maps it for REQUEST and
 * ASYNC, run by Payara Micro's own jar (from Maven Central, copied by the build) in a process of
 * its own. Payara keeps Tomcat's response class name over a connector of its own, and ends a
 * chunked body cleanly after an application's exception: a body broken off must still look
 * broken, for the client that filled it and for its waiters. The sample WAR built for application
 * servers ({@code edgecache-sample-ee.war}) runs beside it, on Payara's own CDI.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PayaraMicroTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir
  static Path base;
  private static Process payara;
  private static String root;
  /** The sample WAR built for application servers ({@code edgecache-sample-ee.war}), run by Payara's own CDI. */
  private static String sampleRoot;

  @BeforeAll
  static void start() throws Exception {
    Path jar = Path.of(System.getProperty("payara.micro", "missing"));
    assertTrue(Files.isRegularFile(jar), "no Payara Micro at " + jar + ": the build copies it to it/target/payara");
    Path war = war(base.resolve("edge.war"));
    Path sampleWar = Path.of(System.getProperty("sample.ee.war", "missing"));
    assertTrue(Files.isRegularFile(sampleWar), "no sample WAR for application servers at " + sampleWar
        + ": build war-sample first");
    Path sample = Files.copy(sampleWar, base.resolve("sample.war"));
    int port = ServerConsole.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    payara = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "--deploy", war.toString(),
        "--deploy", sample.toString(), "--port", Integer.toString(port), "--nocluster",
        "--rootdir", base.resolve("payara").toString())
        .redirectErrorStream(true).start();
    // Payara Micro says so once the WARs are deployed
    ServerConsole.copy(payara, base.resolve("payara.log"), line -> line.contains("Payara Micro")
        && line.contains(" ready in ")).get(180, TimeUnit.SECONDS);
    root = "http://127.0.0.1:" + port + "/edge";
    sampleRoot = "http://127.0.0.1:" + port + "/sample";
  }

  @AfterAll
  static void stop() throws Exception {
    if (payara != null) {
      payara.destroy();
      if (!payara.waitFor(30, TimeUnit.SECONDS)) {
        payara.destroyForcibly();
      }
    }
  }

  @BeforeEach
  void closeTheGate() throws Exception {
    assertEquals(200, send("GET", "/close").statusCode());
  }

  @Test
  void aPageIsFilledOnceThenHitFromAGetOrAHead() throws Exception {
    HttpResponse<String> miss = send("GET", "/page");
    assertEquals("page /page 1", miss.body());
    assertTrue(cacheStatus(miss).contains("stored"), cacheStatus(miss));
    HttpResponse<String> hit = send("GET", "/page");
    assertEquals("page /page 1", hit.body());
    assertTrue(cacheStatus(hit).startsWith("edgecache; hit"), cacheStatus(hit));

    HttpResponse<String> head = send("HEAD", "/headed");
    assertEquals(200, head.statusCode());
    assertEquals("14", head.headers().firstValue("Content-Length").orElse(""), head.headers().toString());
    assertTrue(cacheStatus(head).contains("stored"), cacheStatus(head));
    HttpResponse<String> after = send("GET", "/headed");
    assertEquals("page /headed 1", after.body());
    assertTrue(cacheStatus(after).startsWith("edgecache; hit"), cacheStatus(after));
    assertEquals(1, calls("/page"));
    assertEquals(1, calls("/headed"));
  }

  @Test
  void concurrentRequestsForOneKeyMakeOneCall() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    answers.add(sendAsync("/held"));
    awaitCalls("/held", 1); // the fill is in the application, held
    for (int i = 0; i < 5; i++) {
      answers.add(sendAsync("/held"));
    }
    send("GET", "/release");
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), cacheStatus(r));
      assertEquals("held 1", r.body(), cacheStatus(r));
    }
    assertEquals(1, calls("/held"));
  }

  @Test
  void aBodyThatFailsMidwayIsBrokenOffForItsFillerAndItsWaiter() throws Exception {
    CompletableFuture<HttpResponse<InputStream>> filler = HTTP.sendAsync(get("/dies"),
        HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> filling = filler.get(60, TimeUnit.SECONDS); // its first bytes were flushed
    CompletableFuture<HttpResponse<InputStream>> waiter = HTTP.sendAsync(get("/dies"),
        HttpResponse.BodyHandlers.ofInputStream());
    send("GET", "/release");
    try (InputStream body = filling.body()) {
      assertThrows(IOException.class, body::readAllBytes, "the filler's short body ended as if whole");
    }
    HttpResponse<InputStream> waiting = waiter.get(60, TimeUnit.SECONDS);
    try (InputStream body = waiting.body()) {
      assertThrows(IOException.class, body::readAllBytes,
          "the waiter's short body ended as if whole: " + cacheStatus(waiting));
    }
    // nothing was stored: the next request reaches the application, and breaks off too
    HttpResponse<InputStream> again = HTTP.send(get("/dies"), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = again.body()) {
      assertThrows(IOException.class, body::readAllBytes);
    }
    int calls = calls("/dies");
    assertTrue(calls == 2 || calls == 3, "the fill, the waiter if it came after the failure, and the request after: "
        + calls);
  }

  @Test
  void theSampleForApplicationServersRunsOnPayarasOwnCdi() throws Exception {
    HttpResponse<String> front = HTTP.send(HttpRequest.newBuilder(URI.create(sampleRoot + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, front.statusCode(), front.body());
    HttpResponse<String> miss = HTTP.send(HttpRequest.newBuilder(URI.create(sampleRoot + "/pages/payara")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, miss.statusCode(), cacheStatus(miss));
    assertTrue(cacheStatus(miss).contains("stored"), cacheStatus(miss));
    HttpResponse<String> hit = HTTP.send(HttpRequest.newBuilder(URI.create(sampleRoot + "/pages/payara")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(cacheStatus(hit).contains("; hit"), cacheStatus(hit));
    assertEquals(miss.body(), hit.body());
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sampleRoot + "/slow?on=payara")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    java.util.Set<String> bodies = new java.util.HashSet<>();
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), cacheStatus(r));
      bodies.add(r.body());
    }
    assertEquals(1, bodies.size(), "one origin answer per collapse: " + bodies);
  }

  /** The WAR a user would build: the filter's jar and the application, the filter mapped in {@code web.xml}. */
  private static Path war(Path war) throws IOException {
    Path filter = Path.of(URI.create(EdgeCacheFilter.class.getProtectionDomain().getCodeSource().getLocation()
        .toString()));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
      put(zip, "WEB-INF/web.xml", WEB_XML.getBytes(StandardCharsets.UTF_8));
      String app = PayaraApp.class.getName().replace('.', '/') + ".class";
      try (InputStream in = PayaraApp.class.getClassLoader().getResourceAsStream(app)) {
        put(zip, "WEB-INF/classes/" + app, in.readAllBytes());
      }
      if (Files.isDirectory(filter)) { // the reactor's classes, before the jar is made
        try (Stream<Path> files = Files.walk(filter)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            put(zip, "WEB-INF/classes/" + filter.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
          }
        }
      } else {
        put(zip, "WEB-INF/lib/edgecache-filter.jar", Files.readAllBytes(filter));
      }
    }
    return war;
  }

  private static final String WEB_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        <filter>
          <filter-name>edgecache</filter-name>
          <filter-class>dev.edgecache.servlet.EdgeCacheFilter</filter-class>
          <async-supported>true</async-supported>
        </filter>
        <filter-mapping>
          <filter-name>edgecache</filter-name>
          <url-pattern>/*</url-pattern>
          <dispatcher>REQUEST</dispatcher>
          <dispatcher>ASYNC</dispatcher>
        </filter-mapping>
        <servlet>
          <servlet-name>app</servlet-name>
          <servlet-class>dev.edgecache.it.containers.PayaraApp</servlet-class>
          <async-supported>true</async-supported>
        </servlet>
        <servlet-mapping>
          <servlet-name>app</servlet-name>
          <url-pattern>/*</url-pattern>
        </servlet-mapping>
      </web-app>
      """;

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60)).build();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(root + path)).method(method,
        HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(String path) {
    return HTTP.sendAsync(get(path), HttpResponse.BodyHandlers.ofString());
  }

  /** How many times the application was called for {@code path}. */
  private static int calls(String path) throws Exception {
    return send("GET", "/calls").body().lines().filter(l -> l.startsWith(path + "="))
        .mapToInt(l -> Integer.parseInt(l.substring(path.length() + 1))).findFirst().orElse(0);
  }

  /** Asks for the application's calls until {@code path} has had {@code n}, for 60 s at most. */
  private static void awaitCalls(String path, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (calls(path) < n) {
      assertTrue(System.nanoTime() < deadline, "never called: " + path);
    }
  }

  private static String cacheStatus(HttpResponse<?> r) {
    return r.headers().firstValue("Cache-Status").orElse("");
  }
}
