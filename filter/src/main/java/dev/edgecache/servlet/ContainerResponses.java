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
  /** Tomcat 10.1 and 11. */
  TOMCAT,
  /** Undertow 2.3 (WildFly). */
  UNDERTOW,
  /** Any other container. */
  OTHER;

  /** Which container's response {@code response} is, under its wrappers. */
  static ContainerResponses of(ServletResponse response) {
    String type = unwrapped(response).getClass().getName();
    if (type.startsWith("org.eclipse.jetty.ee1") && type.endsWith(".servlet.ServletApiResponse")) {
      return JETTY;
    }
    return switch (type) {
      case "org.apache.catalina.connector.ResponseFacade" -> TOMCAT;
      case "io.undertow.servlet.spec.HttpServletResponseImpl" -> UNDERTOW;
      default -> OTHER;
    };
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
