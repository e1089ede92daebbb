package dev.edgecache.bench;

import dev.edgecache.servlet.EdgeCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A load run on loopback: embedded Jetty 12 serves a 4 KiB response, once through
 * {@link EdgeCacheFilter} as a cache hit ({@code /cached/page}) and once from a plain servlet
 * writing the same bytes from an array without the filter ({@code /plain}). Four client threads
 * with keep-alive connections send requests as fast as answers come; the two throughputs are
 * compared within the same run. Server and load generator share the machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(1)
public class FilterHitBenchmark {
  private static final byte[] BODY = new byte[4096];
  private Server server;
  private HttpClient client;
  private HttpRequest cached;
  private HttpRequest plain;

  /** The origin: 4 KiB from an array, cacheable for an hour. */
  public static final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setHeader("Cache-Control", "max-age=3600");
      res.setContentType("application/octet-stream");
      res.setContentLength(BODY.length);
      res.getOutputStream().write(BODY);
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new PageServlet()), "/*");
    context.addFilter(new FilterHolder(EdgeCacheFilter.class), "/cached/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    String base = "http://127.0.0.1:" + connector.getLocalPort();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    cached = HttpRequest.newBuilder(URI.create(base + "/cached/page")).build();
    plain = HttpRequest.newBuilder(URI.create(base + "/plain")).build();
    HttpResponse<byte[]> first = client.send(cached, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> second = client.send(cached, HttpResponse.BodyHandlers.ofByteArray());
    if (first.body().length != BODY.length
        || !second.headers().firstValue("Cache-Status").orElse("").startsWith("edgecache; hit")) {
      throw new IllegalStateException("the cached page is not a hit: " + second.headers().map());
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    server.stop();
  }

  @Benchmark
  public int cachedHitThroughFilter() throws Exception {
    return check(client.send(cached, HttpResponse.BodyHandlers.ofByteArray()));
  }

  @Benchmark
  public int plainServlet() throws Exception {
    return check(client.send(plain, HttpResponse.BodyHandlers.ofByteArray()));
  }

  private static int check(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200 || response.body().length != BODY.length) {
      throw new IllegalStateException("bad response: " + response.statusCode());
    }
    return response.body().length;
  }
}
