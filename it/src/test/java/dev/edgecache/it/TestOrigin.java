package dev.edgecache.it;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An origin server run by a test: one servlet on every path, Jetty 12 on a free loopback port. */
final class TestOrigin implements AutoCloseable {
  private final Server server = new Server();
  private final int port;

  TestOrigin(HttpServlet servlet) throws Exception {
    this(servlet, 0);
  }

  /** @param responseHeadBytes the largest response head it writes; 0 for Jetty's default */
  TestOrigin(HttpServlet servlet, int responseHeadBytes) throws Exception {
    ServerConnector connector = new ServerConnector(server);
    if (responseHeadBytes > 0) {
      connector.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class)
          .getHttpConfiguration().setResponseHeaderSize(responseHeadBytes);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // as an origin should: a field value reaches the servlet in the case it was sent
    connector.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class)
        .getHttpConfiguration().setHeaderCacheCaseSensitive(true);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  /** The origin's base URL, as {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops it; an edge in front of it then finds nothing listening. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the test origin did not stop", e);
    }
  }
}
