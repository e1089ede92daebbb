package dev.edgecache.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Varnish, the yardstick, as a process of its own on loopback in front of an origin: Debian's
 * {@code varnishd} with its builtin VCL ({@code -b}) and a 256 MiB malloc store (or the one
 * given), in the foreground so that closing this kills it. Install it with {@code apt-get install varnish}.
 */
final class VarnishProcess implements AutoCloseable {
  private static final String VARNISHD = "/usr/sbin/varnishd";
  private final Process process;
  private final int port;

  VarnishProcess(int originPort, Path workDir) throws IOException, InterruptedException {
    this(originPort, workDir, "malloc,256m");
  }

  /** With the storage {@code storage} ({@code -s}), e.g. {@code file,/tmp/v.bin,4G}. */
  VarnishProcess(int originPort, Path workDir, String storage) throws IOException, InterruptedException {
    if (!new File(VARNISHD).canExecute()) {
      throw new IllegalStateException(VARNISHD + " not found: install it with apt-get install varnish");
    }
    Files.createDirectories(workDir);
    port = freePort();
    File log = workDir.resolve("varnishd.log").toFile();
    process = new ProcessBuilder(List.of(VARNISHD, "-F", "-n", workDir.toAbsolutePath().toString(),
        "-a", "127.0.0.1:" + port, "-b", "127.0.0.1:" + originPort, "-s", storage))
        .redirectErrorStream(true).redirectOutput(log).start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("varnishd did not start (see " + log + ")");
      }
      Thread.sleep(100);
    }
  }

  int port() {
    return port;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
