package dev.edgecache.store.ehcache;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two application servers, each a JVM of its own running {@link ClusterNodeMain}, on one
 * Terracotta server: the cluster of the cross-node tests and of the cross-node collapse benchmark.
 */
public final class TwoNodes implements AutoCloseable {
  /** One node: a child JVM, its command line in and its answers out. */
  public static final class Node {
    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final StringBuffer log = new StringBuffer();

    Node(Process process) {
      this.process = process;
      this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            log.append(line).append('\n');
            if (line.matches("^(READY|ROUND|OWNING|FOUND|MISSING|PURGED)\\b.*")) {
              answers.add(line);
            }
          }
        } catch (IOException ignored) {
          // the node has gone
        }
      }, "cluster-node-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Sends a command without waiting for its answer. */
    public void send(String command) {
      in.println(command);
    }

    /** The next answer, waiting at most {@code seconds}. */
    public String answer(long seconds) throws InterruptedException {
      String a = answers.poll(seconds, TimeUnit.SECONDS);
      if (a == null) {
        throw new IllegalStateException("no answer from the node within " + seconds + " s; its output:\n" + log);
      }
      return a;
    }

    /** Sends a command and waits for its answer. */
    public String ask(String command, long seconds) throws InterruptedException {
      send(command);
      return answer(seconds);
    }

    /** Kills the JVM at once, as a crash: nothing is released. */
    public void crash() throws InterruptedException {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      if (process.isAlive()) {
        send("quit");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private final List<Node> nodes = new ArrayList<>();

  /**
   * Starts two nodes on {@code cluster}, with bodies of {@code size} bytes and the given lock
   * timeout, and waits until both are connected.
   */
  public TwoNodes(URI cluster, int size, long lockTimeoutMillis) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try {
      for (int i = 0; i < 2; i++) {
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", classpath, ClusterNodeMain.class.getName(),
            cluster.toString(), Integer.toString(size), Long.toString(lockTimeoutMillis)))
            .redirectErrorStream(true).start();
        nodes.add(new Node(p));
      }
      for (Node n : nodes) {
        if (!n.answer(120).equals("READY")) {
          throw new IllegalStateException("a node did not start");
        }
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  public Node a() {
    return nodes.get(0);
  }

  public Node b() {
    return nodes.get(1);
  }

  @Override
  public void close() throws InterruptedException {
    for (Node n : nodes) {
      n.stop();
    }
  }

  /**
   * A parsed {@code ROUND} answer: fills, readers with the whole body, failures, the readers' times
   * to last byte, and when the owner (if on this node) got the key and finished writing.
   */
  public record Round(int fills, int ok, int bad, double[] lastByteMillis, double[] ownerMillis) {
    public static Round parse(String answer) {
      int fills = 0;
      int ok = 0;
      int bad = 0;
      double[] ms = new double[0];
      double[] owner = new double[0];
      for (String field : answer.split(" ")) {
        String[] kv = field.split("=", 2);
        if (kv.length < 2) {
          continue;
        }
        switch (kv[0]) {
          case "fills" -> fills = Integer.parseInt(kv[1]);
          case "ok" -> ok = Integer.parseInt(kv[1]);
          case "bad" -> bad = Integer.parseInt(kv[1]);
          case "ms" -> ms = kv[1].isEmpty() ? new double[0]
              : java.util.Arrays.stream(kv[1].split(",")).mapToDouble(Double::parseDouble).toArray();
          case "owner" -> owner = java.util.Arrays.stream(kv[1].split(",")).mapToDouble(Double::parseDouble).toArray();
          default -> { }
        }
      }
      return new Round(fills, ok, bad, ms, owner);
    }
  }
}
