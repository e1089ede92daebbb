package dev.edgecache.it.containers;

import dev.edgecache.servlet.EdgeCacheFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12 (ee10), embedded. */
final class JettyContainer implements EmbeddedContainer {
  private final Server server = new Server(new org.eclipse.jetty.util.thread.QueuedThreadPool(WORKER_THREADS));
  private final ServerConnector connector = new ServerConnector(server);

  JettyContainer(Deployment deployment) throws Exception {
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
