package dev.edgecache.servlet;

import jakarta.servlet.ServletResponse;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Breaks off a committed response whose body cannot be completed, so that its client sees a
 * broken connection rather than a short body that looks whole (with no {@code Content-Length},
 * a chunked body's last chunk is all that says "complete", RFC 9112 §7.1).
 *
 * <p>The Servlet API has no call for it, and an exception leaving the chain is not enough: a
 * response ended on a thread of the filter's (a waiter's, a fill's own client) has no chain to
 * leave, and Undertow ends the body cleanly even then. So each container's connection is closed
 * through its own methods, found by reflection (the filter depends on no container): Jetty's
 * channel's end point, Undertow's exchange's connection, Tomcat's connector response told to
 * close now, GlassFish's and Payara's Grizzly connection. Elsewhere the exception that follows
 * is all there is.
 */
final class ConnectionBreaker {
  private static final Logger LOG = Logger.getLogger(ConnectionBreaker.class.getName());

  private ConnectionBreaker() {}

  /**
   * After the application failed: a response already committed is broken off, since a container
   * may end it cleanly (Undertow ends a chunked body so) and its client must not take the short
   * body for whole; one not committed is left to the container's error page.
   */
  static void breakOffIfCommitted(ServletResponse response) {
    if (response.isCommitted()) {
      breakOff(response);
    }
  }

  /**
   * Breaks off {@code response}'s connection if its container would otherwise end it cleanly.
   * Whether it did: on a container it does not know, or if its calls failed, it did not, and an
   * exception thrown out of a dispatch through the filter is what is left.
   */
  static boolean breakOff(ServletResponse response) {
    ServletResponse r = ContainerResponses.unwrapped(response);
    try {
      switch (ContainerResponses.of(r)) {
        case UNDERTOW -> {
          Object exchange = publicMethod(r.getClass(), "getExchange").invoke(r);
          Object connection = publicMethod(exchange.getClass(), "getConnection").invoke(exchange);
          publicMethod(connection.getClass(), "close").invoke(connection);
        }
        case JETTY -> { // ee10 and ee11 alike
          Object channel = publicMethod(r.getClass(), "getServletChannel").invoke(r);
          Object endPoint = publicMethod(channel.getClass(), "getEndPoint").invoke(channel);
          ((java.io.Closeable) endPoint).close();
        }
        case TOMCAT -> {
          // the connector's response under the facade is told to close the connection
          Object coyote = connectorResponse(r);
          @SuppressWarnings({"unchecked", "rawtypes"})
          Class<Enum> actionCode = (Class<Enum>) Class.forName("org.apache.coyote.ActionCode", false,
              coyote.getClass().getClassLoader());
          @SuppressWarnings("unchecked")
          Object closeNow = Enum.valueOf(actionCode, "CLOSE_NOW");
          coyote.getClass().getMethod("action", actionCode, Object.class).invoke(coyote, closeNow, null);
        }
        case GLASSFISH -> {
          // the connection of the Grizzly response under the facade is closed, its last chunk
          // never written (GlassFish ends a chunked body cleanly after an exception)
          Object grizzly = connectorResponse(r);
          Object request = publicMethod(grizzly.getClass(), "getRequest").invoke(grizzly);
          Object connection = publicMethod(request.getClass(), "getConnection").invoke(request);
          publicMethod(connection.getClass(), "closeSilently").invoke(connection);
        }
        case OTHER -> {
          return false; // the exception that follows is all there is
        }
      }
      return true;
    } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not break off a short response on " + r.getClass().getName(), e);
      return false;
    }
  }


  /**
   * The connector's own response under Tomcat's response facade, which GlassFish keeps too:
   * Coyote's on Tomcat, Grizzly's on GlassFish and Payara.
   */
  private static Object connectorResponse(ServletResponse facade) throws ReflectiveOperationException {
    java.lang.reflect.Field field = facade.getClass().getDeclaredField("response");
    field.setAccessible(true);
    Object response = field.get(facade);
    return publicMethod(response.getClass(), "getCoyoteResponse").invoke(response);
  }

  private static Method publicMethod(Class<?> type, String name) throws NoSuchMethodException {
    // through the public class that declares it: implementation classes may not be accessible
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
        try {
          return c.getMethod(name);
        } catch (NoSuchMethodException e) {
          // look further up
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
