package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample WAR as a user runs it: dropped into {@code webapps/} of the Tomcat distribution (from
 * Maven Central, unpacked by the build), Tomcat started and stopped by its own bootstrap in a
 * process of its own, its log read afterwards. Requests that wait for another's fill end on other
 * threads than they started on; Weld's request contexts (the WAR's CDI filter) must still be left
 * as found on every thread: no WELD warning, and no thread local of the application found by
 * Tomcat's leak checks as it undeploys.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SampleWarOnTomcatDistributionTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void collapsedRequestsLogNothingAndLeaveNothingBehind(@TempDir Path base) throws Exception {
    Path home = Path.of(System.getProperty("tomcat.home", "missing"));
    String war = System.getProperty("sample.war");
    assertTrue(Files.isRegularFile(home.resolve("bin/bootstrap.jar")), "no Tomcat distribution at " + home);
    assertTrue(war != null && new File(war).isFile(), "no sample WAR at " + war + ": build war-sample first");
    int port = ServerConsole.freePort();
    int shutdownPort = ServerConsole.freePort();
    for (String dir : List.of("logs", "temp", "webapps", "work", "conf")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path f : conf.toList()) {
        Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path serverXml = base.resolve("conf/server.xml");
    Files.writeString(serverXml, Files.readString(serverXml)
        .replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\"")
        .replace("port=\"8005\"", "port=\"" + shutdownPort + "\""));
    Files.copy(Path.of(war), base.resolve("webapps/ROOT.war"));

    Process tomcat = bootstrap(home, base, "start").redirectErrorStream(true).start();
    CompletableFuture<Void> started = ServerConsole.copy(tomcat, base.resolve("logs/out.txt"),
        line -> line.contains("Server startup in"));
    try {
      started.get(60, TimeUnit.SECONDS); // Tomcat says so once it serves
      assertEquals(200, get(port, "/").statusCode());
      for (int round = 0; round < 3; round++) {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?round="
              + round)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> bodies = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> a : answers) {
          HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
          assertEquals(200, r.statusCode());
          bodies.add(r.body());
        }
        assertEquals(1, bodies.size(), "one origin answer per collapse: " + bodies);
        for (int i = 0; i < 20; i++) {
          assertEquals(200, get(port, "/pages/tagged").statusCode());
        }
      }
    } finally {
      Process stop = bootstrap(home, base, "stop").redirectErrorStream(true)
          .redirectOutput(base.resolve("logs/stop.txt").toFile()).start();
      stop.waitFor(30, TimeUnit.SECONDS);
      if (!tomcat.waitFor(60, TimeUnit.SECONDS)) {
        tomcat.destroyForcibly();
      }
    }
    List<String> problems = new ArrayList<>();
    try (Stream<Path> logs = Files.list(base.resolve("logs"))) {
      for (Path log : logs.toList()) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.contains("WELD-0") && !line.contains(" INFO ") || line.contains(" SEVERE ")
              || line.contains(" WARNING ") || line.contains("ThreadLocal")) {
            problems.add(log.getFileName() + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), problems, "what Tomcat logged");
  }

  /** Tomcat's own bootstrap, as {@code catalina.sh} runs it, with what its leak checks need. */
  private static ProcessBuilder bootstrap(Path home, Path base, String command) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m",
        "-cp", home.resolve("bin/bootstrap.jar") + File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
        "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
        "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
        "org.apache.catalina.startup.Bootstrap", command);
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
