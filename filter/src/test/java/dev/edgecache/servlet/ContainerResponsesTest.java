package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Telling containers apart by their own response class. Each real container is told by the
 * container specification of {@code it}, run on it (Jetty's ee10 and ee11, Tomcat 10.1 and 11,
 * Undertow) and by its Payara Micro test; here, a name that could mislead.
 */
class ContainerResponsesTest {
  private final ClassLoader here = ContainerResponsesTest.class.getClassLoader();

  @Test
  void tomcatsFacadeNameWithoutTomcatsConnectorBesideItIsNotTomcat() {
    // GlassFish and Payara keep the name over Grizzly: Tomcat's calls on it (closing the
    // connection, interim responses) would fail there, or do something else
    assertEquals(ContainerResponses.OTHER, ContainerResponses.kindOf("org.apache.catalina.connector.ResponseFacade",
        here));
  }

  @Test
  void jettysResponsesOfBothEnvironmentsAreJettys() {
    assertEquals(ContainerResponses.JETTY,
        ContainerResponses.kindOf("org.eclipse.jetty.ee10.servlet.ServletApiResponse", here));
    assertEquals(ContainerResponses.JETTY,
        ContainerResponses.kindOf("org.eclipse.jetty.ee11.servlet.ServletApiResponse", here));
  }
}
