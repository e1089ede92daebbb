package dev.edgecache.it.containers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The console of a server run in a process of its own (Tomcat's distribution, Payara Micro). */
final class ServerConsole {
  private ServerConsole() {}

  /**
   * Copies {@code server}'s console to {@code log} on a thread of its own; the future completes at
   * the first line that says it {@code started}, and fails if the process ends first.
   */
  static CompletableFuture<Void> copy(Process server, Path log, Predicate<String> started) {
    CompletableFuture<Void> up = new CompletableFuture<>();
    Thread console = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          out.println(line);
          out.flush();
          if (started.test(line)) {
            up.complete(null);
          }
        }
      } catch (IOException e) {
        up.completeExceptionally(e);
      }
      up.completeExceptionally(new AssertionError("the server ended before it started; see " + log));
    }, "server-console");
    console.setDaemon(true);
    console.start();
    return up;
  }

  /** A loopback port free now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
