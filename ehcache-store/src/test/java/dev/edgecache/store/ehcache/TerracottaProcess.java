package dev.edgecache.store.ehcache;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Terracotta server process of the kit the build unpacked, run as the kit's
 * {@code start-tc-server.sh} runs it: when the server exits asking to be restarted (status 11, as
 * a passive does when it zaps itself to resynchronise with the active, or after losing an
 * election it should not have held), it is started again with the same arguments. Without that
 * loop a stripe on a slow machine loses its passive for good. What the server prints is kept, and
 * the state it last said it moved to is its {@link #state()}.
 */
final class TerracottaProcess {
  /** The exit status by which a Terracotta server asks its launcher to start it again. */
  static final int RESTART_REQUEST = 11;
  private static final String MOVED = "Moved to State[ ";

  private final String name;
  private final List<String> command;
  private final StringBuffer log = new StringBuffer();
  private Process process; // guarded by this
  private boolean stopping; // guarded by this: no restart once asked to stop
  private boolean ended; // guarded by this: the server has exited and will not be restarted
  private volatile String state = "";

  private TerracottaProcess(String name, List<String> command) {
    this.name = name;
    this.command = command;
  }

  /**
   * Starts {@code tc.jar} of {@code server} (the kit's {@code server} folder) with a heap of 256 MB,
   * {@code directMb} MB of direct memory and the server's {@code arguments}.
   */
  static TerracottaProcess start(String name, File server, int directMb, List<String> arguments) throws IOException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:MaxDirectMemorySize=" + directMb + "m",
        "-Dtc.install-root=" + server.getAbsolutePath(), "-jar", new File(server, "lib/tc.jar").getAbsolutePath()));
    command.addAll(arguments);
    return run(name, command);
  }

  /** Runs {@code command} as a Terracotta server: its output kept, restarted at its request. */
  static TerracottaProcess run(String name, List<String> command) throws IOException {
    TerracottaProcess p = new TerracottaProcess(name, List.copyOf(command));
    synchronized (p) {
      p.process = p.launch();
    }
    Thread supervisor = new Thread(p::supervise, "terracotta-" + name);
    supervisor.setDaemon(true);
    supervisor.start();
    return p;
  }

  private Process launch() throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads the server's output; restarts it when it asks to be; marks it ended otherwise. */
  private void supervise() {
    while (true) {
      Process p;
      synchronized (this) {
        p = process;
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          heard(line);
        }
      } catch (IOException ignored) {
        // the server has gone: its exit status says what next
      }
      int status;
      try {
        status = p.waitFor();
      } catch (InterruptedException e) {
        status = -1;
      }
      synchronized (this) {
        if (status == RESTART_REQUEST && !stopping) {
          try {
            process = launch();
            state = "";
            heard("(the server exited asking for a restart: started again, as the kit's script does)");
            continue;
          } catch (IOException e) {
            heard("(the server could not be started again: " + e + ")");
          }
        }
        ended = true;
        heard("(the server exited with status " + status + ")");
        return;
      }
    }
  }

  /** Adds a line of the server's output and wakes whoever waits for a state. */
  private synchronized void heard(String line) {
    int at = line.indexOf(MOVED);
    int end = at < 0 ? -1 : line.indexOf(" ]", at);
    if (end > 0) {
      state = line.substring(at + MOVED.length(), end);
    }
    log.append(line).append('\n');
    notifyAll();
  }

  /** The state this run of the server last said it moved to ({@code ACTIVE-COORDINATOR}, ...), or "". */
  String state() {
    return state;
  }

  /** Whether the server runs, or is being started again at its own request. */
  synchronized boolean alive() {
    return !ended;
  }

  /** Waits until the server says it moved to {@code state}; false if it exits or time runs out first. */
  synchronized boolean awaitState(String state, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!state.equals(state()) && !ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))); // woken by each line it prints
    }
    return state.equals(state());
  }

  /** Fails with the server's output when it does not reach {@code state} within {@code timeout}. */
  void requireState(String state, Duration timeout) throws InterruptedException {
    if (!awaitState(state, timeout)) {
      throw new IllegalStateException("Terracotta " + name + " did not become " + state + " within " + timeout
          + " (it says " + (state().isEmpty() ? "nothing yet" : state()) + "):\n" + log);
    }
  }

  /** What the server has printed so far. */
  String log() {
    return log.toString();
  }

  /** The CPU time the server's current process has used, where the system reports it. */
  synchronized Duration cpu() {
    return process.toHandle().info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("this system does not report a process's CPU time"));
  }

  /** Kills the server with SIGKILL, as a crash would, and waits for it to be gone. */
  void kill() throws InterruptedException {
    Process p;
    synchronized (this) {
      stopping = true;
      p = process;
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the server with SIGTERM, and SIGKILL if it is still there 30 s later. */
  void stop() {
    Process p;
    synchronized (this) {
      stopping = true;
      p = process;
    }
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
