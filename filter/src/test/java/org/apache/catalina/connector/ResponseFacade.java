package org.apache.catalina.connector;

/**
 * Stands for the response facade of GlassFish and Payara, which kept Tomcat's class name over a
 * connector of their own: beside it there is no {@code org.apache.coyote}, as in those servers.
 */
public final class ResponseFacade {
  private ResponseFacade() {}
}
