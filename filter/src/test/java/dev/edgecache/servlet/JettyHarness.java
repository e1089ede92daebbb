package dev.edgecache.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** An embedded Jetty 12 on a random loopback port, with a filter in front of one servlet. */
final class JettyHarness implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  final ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS);

  JettyHarness(HttpServlet servlet, Filter filter, Map<String, String> initParams) throws Exception {
    this(servlet, filter, initParams, 200, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
  }

  /** The filter, with {@code initParams}, in front of {@code servlet}: REST Assured's requests go to it. */
  static JettyHarness forRestAssured(HttpServlet servlet, Map<String, String> initParams) throws Exception {
    JettyHarness jetty = new JettyHarness(servlet, null, initParams);
    io.restassured.RestAssured.baseURI = "http://127.0.0.1";
    io.restassured.RestAssured.port = jetty.port();
    return jetty;
  }

  /**
   * @param maxThreads the size of Jetty's thread pool
   * @param dispatches the dispatcher types the filter is mapped for
   */
  JettyHarness(HttpServlet servlet, Filter filter, Map<String, String> initParams, int maxThreads,
      EnumSet<DispatcherType> dispatches) throws Exception {
    this(servlet, filter, initParams, maxThreads, dispatches, Map.of());
  }

  /** @param contextParams the web application's context parameters */
  JettyHarness(HttpServlet servlet, Filter filter, Map<String, String> initParams, int maxThreads,
      EnumSet<DispatcherType> dispatches, Map<String, String> contextParams) throws Exception {
    server = new Server(new QueuedThreadPool(maxThreads));
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    FilterHolder fh = filter == null ? new FilterHolder(EdgeCacheFilter.class) : new FilterHolder(filter);
    fh.setAsyncSupported(true);
    fh.setInitParameters(initParams);
    context.addFilter(fh, "/*", dispatches);
    contextParams.forEach(context::setInitParameter);
    server.setHandler(context);
    server.start();
  }

  /** Threads of Jetty's pool running a job now (acceptor and selector included). */
  int busyThreads() {
    return ((QueuedThreadPool) server.getThreadPool()).getBusyThreads();
  }

  int port() {
    return connector.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
