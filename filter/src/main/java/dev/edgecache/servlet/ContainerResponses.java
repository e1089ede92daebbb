package dev.edgecache.servlet;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * Which container a response belongs to, told by the class of the container's own response under
 * any wrappers: where the Servlet API leaves behaviour to the container (breaking a connection
 * off, non-blocking output during a dispatch, interim responses), the filter asks this.
 */
enum ContainerResponses {
  /** Jetty 12, ee10 (Servlet 6.0) or ee11 (Servlet 6.1). */
  JETTY,
  /** Tomcat 10.1 and 11 (not GlassFish or Payara, whose response has Tomcat's class name). */
  TOMCAT,
  /** Undertow 2.3 (WildFly). */
  UNDERTOW,
  /** GlassFish and Payara: Tomcat's response facade over a Grizzly connector. */
  GLASSFISH,
  /** Any other container. */
  OTHER;

  /** A response class and what it is. */
  private record Known(Class<?> type, ContainerResponses kind) {}

  /**
   * The last class told, so that the class loader is asked once, not on every response. Held
   * here, in the application's class, and not on the container's class (as a {@code ClassValue}
   * would), which would keep the application's classes alive after it is undeployed.
   */
  private static volatile Known last = new Known(Void.class, OTHER);

  /** Which container's response {@code response} is, under its wrappers. */
  static ContainerResponses of(ServletResponse response) {
    Class<?> type = unwrapped(response).getClass();
    Known known = last;
    if (known.type() != type) {
      known = new Known(type, kindOf(type.getName(), type.getClassLoader()));
      last = known;
    }
    return known.kind();
  }

  /**
   * What a container's response class is, by its {@code name} and the classes its {@code loader}
   * sees beside it; visible for tests.
   */
  static ContainerResponses kindOf(String name, ClassLoader loader) {
    if (name.startsWith("org.eclipse.jetty.ee1") && name.endsWith(".servlet.ServletApiResponse")) {
      return JETTY;
    }
    return switch (name) {
      // GlassFish and Payara keep Tomcat's facade over a connector of their own (Grizzly's),
      // which has none of the Coyote calls the filter makes on Tomcat's
      case "org.apache.catalina.connector.ResponseFacade" -> loads("org.apache.coyote.ActionCode", loader) ? TOMCAT
          : loads("org.glassfish.grizzly.http.server.Response", loader) ? GLASSFISH : OTHER;
      case "io.undertow.servlet.spec.HttpServletResponseImpl" -> UNDERTOW;
      default -> OTHER;
    };
  }

  /** Whether {@code loader} sees the class {@code name}. */
  private static boolean loads(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The container's own response under any wrappers. */
  static ServletResponse unwrapped(ServletResponse response) {
    ServletResponse r = response;
    while (r instanceof ServletResponseWrapper w) {
      r = w.getResponse();
    }
    return r;
  }
}
