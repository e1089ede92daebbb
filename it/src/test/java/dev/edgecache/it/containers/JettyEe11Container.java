package dev.edgecache.it.containers;

import dev.edgecache.servlet.EdgeCacheFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12.1 with its ee11 environment (Servlet 6.1), embedded: where Jetty runs Servlet 6.1
 * applications, with response classes of its own, not ee10's. Its tests run on a class path with
 * the Servlet 6.1 API (the {@code jetty-ee11} execution of this module's build).
 */
final class JettyEe11Container implements EmbeddedContainer {
  private final Server server = new Server(new org.eclipse.jetty.util.thread.QueuedThreadPool(WORKER_THREADS));
  private final ServerConnector connector = new ServerConnector(server);

  JettyEe11Container(Deployment deployment) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder filter = new FilterHolder(EdgeCacheFilter.class);
    filter.setAsyncSupported(true);
    filter.setInitParameters(deployment.filterParams());
    context.addFilter(filter, "/*", deployment.asyncMapped() ? EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)
        : EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder(deployment.servlet());
    holder.setAsyncSupported(deployment.servletAsync());
    context.addServlet(holder, "/*");
    server.setHandler(context);
    server.start();
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
