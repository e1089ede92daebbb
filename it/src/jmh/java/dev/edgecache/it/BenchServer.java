package dev.edgecache.it;

import dev.edgecache.EdgeCache;
import dev.edgecache.servlet.EdgeCacheFilter;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.store.memory.MemoryStorage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servers the load runs measure: Jetty 12 on a free loopback port, with Jetty's default
 * thread pool, one servlet on every path, and {@link EdgeCacheFilter} (in-memory store) on
 * {@code /cached/*} only. The same servlet under {@code /plain/} is the baseline. What the servlet
 * answers depends on the last segment: {@code 4k}, {@code 64k}, {@code 1m}, {@code 10m},
 * {@code 12m} and {@code 2g} are bodies of that size, {@code slow} is 4 KiB after 500 ms. Byte k
 * of every body is k mod 256. {@code 4k.html} and {@code 64k.html} are HTML of that size
 * ({@link #TEXT}), which gzip shrinks about as much as a real page. All are cacheable for an
 * hour. {@code /cached-identity/*} has the filter without its gzip.
 */
final class BenchServer implements AutoCloseable {
  static final int BLOCK = 64 * 1024;
  /** A block of the body pattern; any body is a run of these, cut at its length. */
  static final byte[] PATTERN = new byte[BLOCK];

  static {
    for (int i = 0; i < BLOCK; i++) {
      PATTERN[i] = (byte) i;
    }
  }

  /** 64 KiB of HTML-like text: words of a small vocabulary in a fixed pseudo-random order. */
  static final byte[] TEXT = text(64 << 10);

  private static byte[] text(int size) {
    String[] words = {"<p>", "</p>", "<a href=\"/items/", "\">", "</a>", "cache", "edge", "servlet", "origin",
        "stale", "fresh", "the", "of", "and", "a", "to", "in", "is", "request", "response", "header", "body",
        "Jakarta", "filter", "purge", "tag", "<li class=\"item\">", "</li>", "price", "42", "2026", "\n"};
    StringBuilder out = new StringBuilder(size + 64);
    long seed = 42;
    while (out.length() < size) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      out.append(words[(int) ((seed >>> 33) % words.length)]).append(' ');
      if ((seed & 0xff) < 8) {
        out.append(seed >>> 40); // numbers, as pages have
      }
    }
    return out.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private final Server server = new Server();
  private final EdgeCache cache;
  final AtomicInteger slowCalls = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();

  BenchServer() throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    cache = EdgeCache.builder()
        .storage(MemoryStorage.builder().capacityBytes(1L << 30).maxObjectSize(16L << 20).build(), true)
        .build();
    FilterHolder filter = new FilterHolder(new EdgeCacheFilter(cache, FilterSettings.DEFAULT));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/cached/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    // the same store, without the cache's own gzip: the text run's baseline
    FilterHolder identity = new FilterHolder(new EdgeCacheFilter(cache, FilterSettings.builder().gzip(false).build()));
    identity.setAsyncSupported(true);
    context.addFilter(identity, "/cached-identity/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder origin = new ServletHolder(new Origin());
    origin.setAsyncSupported(true); // as a deployment declares it, so that waiters hold no thread
    context.addServlet(origin, "/*");
    server.setHandler(context);
    server.start();
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The body length of a path's last segment, -1 for none the servlet knows. */
  static long length(String last) {
    return switch (last) {
      case "4k", "slow" -> 4096;
      case "64k", "64k.html" -> 64 << 10;
      case "4k.html" -> 4096;
      case "1m" -> 1 << 20;
      case "10m" -> 10L << 20;
      case "12m" -> 12L << 20;
      case "2g" -> 2L << 30;
      default -> -1;
    };
  }

  /** Checks a body against the pattern. */
  static void check(long offset, byte[] b, int off, int len) {
    // compared a pattern block at a time (a vectorised mismatch): the client stays light enough
    // that a transfer of gigabytes measures the server
    while (len > 0) {
      int p = (int) (offset % BLOCK);
      int n = Math.min(len, BLOCK - p);
      int at = java.util.Arrays.mismatch(b, off, off + n, PATTERN, p, p + n);
      if (at >= 0) {
        throw new IllegalStateException("wrong byte at " + (offset + at));
      }
      offset += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the load run's server did not stop", e);
    } finally {
      cache.close();
    }
  }

  /** The origin servlet. */
  private final class Origin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      long call = calls.incrementAndGet();
      String path = req.getRequestURI();
      res.setHeader("X-Origin-Call", Long.toString(call)); // which origin call a body came from
      if (path.startsWith("/counted/")) {
        res.setHeader("Surrogate-Key", "counted");
      }
      String last = path.substring(path.lastIndexOf('/') + 1);
      long length = length(last);
      if (length < 0) {
        res.sendError(404);
        return;
      }
      if (last.equals("slow")) {
        slowCalls.incrementAndGet();
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      res.setHeader("Cache-Control", "max-age=3600");
      if (last.endsWith(".html")) {
        res.setContentType("text/html; charset=utf-8");
        res.setContentLengthLong(length);
        res.getOutputStream().write(TEXT, 0, (int) length);
        return;
      }
      res.setContentType("application/octet-stream");
      res.setContentLengthLong(length);
      ServletOutputStream out = res.getOutputStream();
      for (long done = 0; done < length; done += BLOCK) {
        out.write(PATTERN, 0, (int) Math.min(BLOCK, length - done));
      }
    }
  }
}
