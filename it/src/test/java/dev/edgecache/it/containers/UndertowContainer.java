package dev.edgecache.it.containers;

import dev.edgecache.servlet.EdgeCacheFilter;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.InetSocketAddress;

/** Undertow 2.3 (WildFly's servlet container), embedded. */
final class UndertowContainer implements EmbeddedContainer {
  private final DeploymentManager manager;
  private final Undertow server;

  UndertowContainer(Deployment deployment) throws Exception {
    FilterInfo filter = Servlets.filter("edge", EdgeCacheFilter.class).setAsyncSupported(true);
    deployment.filterParams().forEach(filter::addInitParam);
    DeploymentInfo app = Servlets.deployment()
        .setClassLoader(UndertowContainer.class.getClassLoader())
        .setContextPath("/")
        .setDeploymentName("edge-spec.war")
        .addServlet(Servlets.servlet("app", HttpServlet.class, new ImmediateInstanceFactory<>(deployment.servlet()))
            .addMapping("/*").setAsyncSupported(deployment.servletAsync()))
        .addFilter(filter)
        .addFilterUrlMapping("edge", "/*", DispatcherType.REQUEST);
    if (deployment.asyncMapped()) {
      app.addFilterUrlMapping("edge", "/*", DispatcherType.ASYNC);
    }
    manager = Servlets.defaultContainer().addDeployment(app);
    manager.deploy();
    server = Undertow.builder().setWorkerThreads(WORKER_THREADS).addHttpListener(0, "127.0.0.1").setHandler(manager.start()).build();
    server.start();
  }

  @Override
  public int port() {
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    manager.stop();
    manager.undeploy();
  }
}
