package dev.edgecache.it.containers;

import dev.edgecache.servlet.EdgeCacheFilter;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Apache Tomcat (10.1 or 11, whichever is on the class path), embedded. */
final class TomcatContainer implements EmbeddedContainer {
  private final Tomcat tomcat = new Tomcat();
  private final Connector connector = new Connector();

  TomcatContainer(Deployment deployment) throws Exception {
    File base = Files.createTempDirectory("tomcat").toFile();
    base.deleteOnExit();
    tomcat.setBaseDir(base.getAbsolutePath());
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", Integer.toString(WORKER_THREADS));
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.getAbsolutePath());
    Wrapper wrapper = Tomcat.addServlet(context, "app", deployment.servlet());
    wrapper.setAsyncSupported(deployment.servletAsync());
    context.addServletMappingDecoded("/*", "app");
    FilterDef filter = new FilterDef();
    filter.setFilterName("edge");
    filter.setFilterClass(EdgeCacheFilter.class.getName());
    filter.setAsyncSupported("true");
    deployment.filterParams().forEach(filter::addInitParameter);
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("edge");
    mapping.addURLPattern("/*");
    mapping.setDispatcher("REQUEST");
    if (deployment.asyncMapped()) {
      mapping.setDispatcher("ASYNC");
    }
    context.addFilterMap(mapping);
    tomcat.start();
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
