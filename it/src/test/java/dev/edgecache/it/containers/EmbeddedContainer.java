package dev.edgecache.it.containers;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * A servlet container embedded in the test, on a free loopback port, with one application: the
 * edge cache filter, configured by init-params as {@code web.xml} would, in front of one servlet on
 * every path. Both are async-supported, and the filter is mapped for REQUEST and ASYNC
 * dispatches, as a deployment of the filter declares them.
 */
interface EmbeddedContainer extends AutoCloseable {
  /**
   * The size of each container's request thread pool: Undertow's default on two cores, small
   * enough that requests which each held a thread while they waited would take them all.
   */
  int WORKER_THREADS = 16;

  /** The port it listens on. */
  int port();

  /** Stops the container, undeploying the application. */
  @Override
  void close() throws Exception;

  /**
   * What is deployed: the servlet, the filter's init-params, whether the servlet is
   * async-supported (Tomcat's {@code DefaultServlet} is not), and whether the filter is mapped
   * for {@code ASYNC} dispatches as well as {@code REQUEST} ones.
   */
  record Deployment(HttpServlet servlet, Map<String, String> filterParams, boolean servletAsync,
      boolean asyncMapped) {
    Deployment(HttpServlet servlet, Map<String, String> filterParams) {
      this(servlet, filterParams, true, true);
    }
  }

  /** How to start one kind of container. */
  interface Kind {
    EmbeddedContainer start(Deployment deployment) throws Exception;

    default EmbeddedContainer start(HttpServlet servlet, Map<String, String> filterParams) throws Exception {
      return start(new Deployment(servlet, filterParams));
    }
  }
}
