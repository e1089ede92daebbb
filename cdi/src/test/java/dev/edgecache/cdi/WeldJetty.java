package dev.edgecache.cdi;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.DecoratingListener;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.environment.servlet.Listener;

/**
 * One web application on embedded Jetty 12 (random loopback port) with Weld's servlet
 * integration: a Weld container of the given beans, the servlet and filters made by Jetty and
 * injected by Weld, and the edge cache's initializer run as a container would run it.
 */
final class WeldJetty implements AutoCloseable {
  final WeldContainer weld;
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  /**
   * @param filterParams null for no filter in the descriptor; else the init-params of a declared
   *     {@link CdiEdgeCacheFilter} on every path, as in {@code web.xml}
   */
  WeldJetty(Class<? extends HttpServlet> servlet, Map<String, String> filterParams, Class<?>... beans)
      throws Exception {
    weld = new Weld().containerId("edge-" + System.nanoTime()).disableDiscovery()
        .addExtension(new EdgeCacheExtension())
        .addBeanClasses(EdgeCacheProducer.class, EdgeCachedCalls.class, EdgeCachedInterceptor.class)
        .addBeanClasses(beans).initialize();
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    // Weld injects what Jetty makes through Jetty's decorating listener (no jetty-ee10-cdi here).
    context.setAttribute("org.eclipse.jetty.cdi", "CdiDecoratingListener");
    context.addEventListener(new DecoratingListener(context, "org.eclipse.jetty.cdi.decorator"));
    context.addEventListener(Listener.using(weld));
    context.addServletContainerInitializer(new EdgeCacheInitializer());
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    if (filterParams != null) {
      FilterHolder filter = new FilterHolder(CdiEdgeCacheFilter.class);
      filter.setAsyncSupported(true);
      filter.setInitParameters(filterParams);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    }
    server.setHandler(context);
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      weld.close();
    }
  }
}
