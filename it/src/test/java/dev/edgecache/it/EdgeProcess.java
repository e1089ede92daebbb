package dev.edgecache.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar edgecache-sample.jar ...} as a process of its own, on a free loopback port;
 * ready once it prints its "listening" line. Its standard error goes to a log file per run.
 */
final class EdgeProcess implements AutoCloseable {
  private static final String READY = "edge cache listening on ";
  private final Process process;
  private final String url;

  EdgeProcess(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("edge.jar");
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException("no edge jar at " + jar + ": build war-sample first (mvn verify from the root)");
    }
    File logs = new File(System.getProperty("edge.logs", "target/edge-logs"));
    logs.mkdirs();
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", jar, "--port", "0"));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command)
        .redirectError(new File(logs, "edge-" + System.nanoTime() + ".log"))
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith(READY)) {
            String rest = line.substring(READY.length());
            return rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String found;
    try {
      found = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      found = null;
    }
    if (found == null) {
      process.destroyForcibly();
      throw new IllegalStateException("the edge did not start: " + command + " (see " + logs + ")");
    }
    url = found;
  }

  /** The edge's base URL, as {@code http://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  int port() {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** SIGTERM, as a service manager would stop it; it must end by itself. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the edge did not stop on SIGTERM within 30 s");
    }
  }
}
