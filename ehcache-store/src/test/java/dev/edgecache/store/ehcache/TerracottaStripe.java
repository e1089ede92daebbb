package dev.edgecache.store.ehcache;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stripe of two real Terracotta servers, an active and a passive, as production runs them: one
 * cluster configuration file naming both nodes, each started with {@code -config-file ... -name
 * nN -auto-activate} and restarted when it asks to be ({@link TerracottaProcess}), the election
 * shortened to 1 s ({@code l2.election.timeout}). Ready once one is ACTIVE-COORDINATOR and the
 * other PASSIVE-STANDBY. Clients name both servers ({@link #uri}).
 */
public final class TerracottaStripe implements AutoCloseable {
  /** One node of the stripe: its name, its port, and the process that runs it now. */
  private static final class Node {
    final String name;
    final int port;
    volatile TerracottaProcess process;

    Node(String name, int port) {
      this.name = name;
      this.port = port;
    }

    boolean alive() {
      TerracottaProcess p = process;
      return p != null && p.alive();
    }
  }

  private final Path run;
  private final Path config;
  private final File server;
  private final Node[] nodes;

  private TerracottaStripe(Path run, Path config, File server, Node[] nodes) {
    this.run = run;
    this.config = config;
    this.server = server;
    this.nodes = nodes;
  }

  /** Starts the stripe: n1 until it is active, then n2 until it is the passive. */
  public static TerracottaStripe start() throws Exception {
    Path run = Files.createTempDirectory("terracotta-stripe");
    Node[] nodes = {new Node("n1", freePort()), new Node("n2", freePort())};
    List<String> lines = new ArrayList<>(List.of("cluster-name=edgecache-stripe", "failover-priority=availability",
        "client-reconnect-window=120s", "offheap-resources=main:256MB", "stripe-names=s1", "s1:node-names=n1,n2"));
    for (Node n : nodes) {
      Path dir = run.resolve(n.name);
      lines.addAll(List.of(n.name + ":hostname=127.0.0.1", n.name + ":port=" + n.port,
          n.name + ":group-port=" + freePort(), n.name + ":bind-address=127.0.0.1",
          n.name + ":group-bind-address=127.0.0.1", n.name + ":log-dir=" + dir.resolve("logs"),
          n.name + ":metadata-dir=" + dir.resolve("metadata"), n.name + ":data-dirs=main:" + dir.resolve("data"),
          n.name + ":tc-properties=l2.election.timeout:1"));
    }
    Path config = run.resolve("cluster.cfg");
    Files.write(config, lines);
    TerracottaStripe stripe = new TerracottaStripe(run, config, TerracottaServer.kitServer(), nodes);
    stripe.launch(nodes[0]);
    stripe.await(nodes[0], "ACTIVE-COORDINATOR");
    stripe.launch(nodes[1]);
    stripe.await(nodes[1], "PASSIVE-STANDBY");
    return stripe;
  }

  private void launch(Node n) throws IOException {
    n.process = TerracottaProcess.start(n.name, server, 512, List.of("-config-file", config.toString(),
        "-name", n.name, "-config-dir", run.resolve(n.name).resolve("config").toString(), "-auto-activate"));
  }

  private void await(Node n, String state) throws InterruptedException {
    try {
      n.process.requireState(state, Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      StringBuilder others = new StringBuilder(e.getMessage());
      for (Node o : nodes) {
        if (o != n && o.process != null) { // what the other node said often tells why this one did not
          others.append("\n--- what ").append(o.name).append(" said (").append(o.process.state()).append("):\n")
              .append(o.process.log());
        }
      }
      throw new IllegalStateException(others.toString(), e);
    }
  }

  /** The URI of {@code entity} on the stripe, naming both servers. */
  public URI uri(String entity) {
    return URI.create("terracotta://127.0.0.1:" + nodes[0].port + ",127.0.0.1:" + nodes[1].port + "/" + entity);
  }

  /** The URI of {@code entity} naming the first server only. */
  public URI firstServerOnly(String entity) {
    return URI.create("terracotta://127.0.0.1:" + nodes[0].port + "/" + entity);
  }

  private Node active() {
    for (Node n : nodes) {
      if (n.alive() && n.process.state().equals("ACTIVE-COORDINATOR")) {
        return n;
      }
    }
    throw new IllegalStateException("no active server");
  }

  /** The name of the server that is active now. */
  public String activeName() {
    return active().name;
  }

  /**
   * The CPU time {@code name}'s process has used so far (user and system), read from the
   * operating system: what a load run divides by the operations it made.
   */
  public java.time.Duration cpu(String name) {
    for (Node n : nodes) {
      if (n.name.equals(name)) {
        return n.process.cpu();
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** The names of the two servers. */
  public List<String> names() {
    return List.of(nodes[0].name, nodes[1].name);
  }

  /**
   * Kills the active server with SIGKILL, as a crash would; returns its name. The passive then
   * takes over: {@link #awaitActive} waits for it.
   */
  public String killActive() throws InterruptedException {
    Node a = active();
    a.process.kill();
    return a.name;
  }

  /** Waits until a live server says it is active. */
  public void awaitActive() throws InterruptedException {
    for (Node n : nodes) {
      if (n.alive()) {
        await(n, "ACTIVE-COORDINATOR");
        return;
      }
    }
    throw new IllegalStateException("no live server");
  }

  /** Starts the killed server {@code name} again: it joins the new active as its passive. */
  public void rejoin(String name) throws Exception {
    for (Node n : nodes) {
      if (n.name.equals(name)) {
        launch(n);
        await(n, "PASSIVE-STANDBY");
        return;
      }
    }
    throw new IllegalArgumentException(name);
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      TerracottaProcess p = n.process;
      if (p != null) {
        try {
          p.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
