package dev.edgecache.store.ehcache;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Terracotta server for the cluster tests, from the Ehcache kit that the build unpacks
 * (system property {@code terracotta.kit}). Started once per test JVM on free loopback ports with
 * a fresh run directory, activated on start, and stopped (SIGTERM) when the JVM exits. It runs as
 * the kit's own script runs it ({@link TerracottaProcess}).
 */
public final class TerracottaServer {
  private static TerracottaServer shared;

  private final TerracottaProcess process;
  private final int port;
  private final int offheapMb;

  private TerracottaServer(TerracottaProcess process, int port, int offheapMb) {
    this.process = process;
    this.port = port;
    this.offheapMb = offheapMb;
  }

  /** The server of this JVM's tests, started on first use. */
  public static synchronized TerracottaServer shared() throws Exception {
    if (shared == null || !shared.process.alive()) {
      shared = start();
      TerracottaServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
    }
    return shared;
  }

  public static TerracottaServer start() throws Exception {
    return start(freePort(), 1024);
  }

  /** A server whose off-heap resource {@code main} has {@code offheapMb} MB. */
  public static TerracottaServer start(int offheapMb) throws Exception {
    return start(freePort(), offheapMb);
  }

  /**
   * A new server on this one's port, with a fresh run directory: what clients see when a server
   * without persistence is restarted (same address, empty).
   */
  public TerracottaServer restart() throws Exception {
    stop();
    return start(port, offheapMb);
  }

  private static TerracottaServer start(int port, int offheapMb) throws Exception {
    Path run = Files.createTempDirectory("terracotta-run");
    TerracottaProcess p = TerracottaProcess.start("node1", kitServer(), 1536, List.of(
        "-name", "node1", "-cluster-name", "edgecache-tests", "-hostname", "127.0.0.1",
        "-bind-address", "127.0.0.1", "-group-bind-address", "127.0.0.1",
        "-port", Integer.toString(port), "-group-port", Integer.toString(freePort()),
        "-failover-priority", "availability", "-offheap-resources", "main:" + offheapMb + "MB",
        "-config-dir", run.resolve("config").toString(), "-log-dir", run.resolve("logs").toString(),
        "-metadata-dir", run.resolve("metadata").toString(), "-data-dirs", "main:" + run.resolve("data"),
        "-auto-activate"));
    try {
      p.requireState("ACTIVE-COORDINATOR", Duration.ofSeconds(120));
    } catch (IllegalStateException | InterruptedException e) {
      p.kill();
      throw e;
    }
    return new TerracottaServer(p, port, offheapMb);
  }

  /** The {@code server} folder of the kit the build unpacked (system property {@code terracotta.kit}). */
  static File kitServer() {
    String kit = System.getProperty("terracotta.kit");
    if (kit == null) {
      throw new IllegalStateException("system property terracotta.kit is not set: run the tests through Maven");
    }
    File[] kits = new File(kit).listFiles(f -> new File(f, "server/lib/tc.jar").isFile());
    if (kits == null || kits.length == 0) {
      throw new IllegalStateException("no Terracotta kit under " + kit);
    }
    return new File(kits[0], "server");
  }

  /** The URI of {@code entity} on this server. */
  public URI uri(String entity) {
    return URI.create("terracotta://127.0.0.1:" + port + "/" + entity);
  }

  public void stop() {
    process.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
