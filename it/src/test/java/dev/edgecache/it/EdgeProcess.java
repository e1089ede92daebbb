package dev.edgecache.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
  /** The edge's JVM options unless a test gives its own. */
  private static final List<String> DEFAULT_JVM = List.of("-Xmx512m");
  private final Process process;
  private final File log;
  private final String url;
  /** What the edge printed on standard output after its ready line (its access log). */
  private final java.util.concurrent.ConcurrentLinkedQueue<String> output = new java.util.concurrent.ConcurrentLinkedQueue<>();

  EdgeProcess(String... args) throws IOException, InterruptedException {
    this(DEFAULT_JVM, args);
  }

  /** With these options for its JVM (a heap limit, GC logging) instead of {@link #DEFAULT_JVM}. */
  EdgeProcess(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = command(jvmOptions, args);
    log = log();
    process = new ProcessBuilder(command).redirectError(log).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready = new CompletableFuture<>();
    // read to the end: a standard output nobody drains would block the edge once its pipe is full
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (ready.isDone()) {
            output.add(line);
          } else if (line.startsWith(READY)) {
            String rest = line.substring(READY.length());
            ready.complete(rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest);
          }
        }
      } catch (IOException e) {
        // the edge has gone
      }
      ready.complete(null);
    }, "edge-stdout");
    reader.setDaemon(true);
    reader.start();
    String found;
    try {
      found = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      found = null;
    }
    if (found == null) {
      process.destroyForcibly();
      throw new IllegalStateException("the edge did not start: " + command + " (see " + log + ")");
    }
    url = found;
  }

  /** The lines the edge printed on standard output since it was ready, so far. */
  List<String> output() {
    return List.copyOf(output);
  }

  /** What a run that ends by itself printed on standard error and output, and its exit status. */
  record Failure(int exitStatus, String standardError, String standardOutput) {}

  /** Runs the jar with these options, expecting it to stop by itself within 60 s. */
  static Failure runToEnd(String... args) throws IOException, InterruptedException {
    File err = log();
    File out = log();
    Process p = new ProcessBuilder(command(DEFAULT_JVM, args)).redirectError(err).redirectOutput(out).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the edge kept running with " + List.of(args));
    }
    return new Failure(p.exitValue(), Files.readString(err.toPath(), StandardCharsets.UTF_8),
        Files.readString(out.toPath(), StandardCharsets.UTF_8));
  }

  private static List<String> command(List<String> jvmOptions, String... args) {
    String jar = System.getProperty("edge.jar");
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException("no edge jar at " + jar + ": build war-sample first (mvn verify from the root)");
    }
    List<String> command = new ArrayList<>(List.of(javaBin()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar, "--port", "0"));
    command.addAll(List.of(args));
    return command;
  }

  private static File log() {
    File logs = new File(System.getProperty("edge.logs", "target/edge-logs"));
    logs.mkdirs();
    return new File(logs, "edge-" + System.nanoTime() + ".log");
  }

  /** What the edge has written to standard error so far. */
  String standardError() throws IOException {
    return Files.readString(log.toPath(), StandardCharsets.UTF_8);
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
  public void close() {
    process.destroy();
    boolean ended;
    try {
      ended = process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (!ended) {
      process.destroyForcibly();
      throw new IllegalStateException("the edge did not stop on SIGTERM within 30 s");
    }
  }
}
