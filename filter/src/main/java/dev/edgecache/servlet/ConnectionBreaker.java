package dev.edgecache.servlet;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Breaks off a committed response whose body cannot be completed, so that its client sees a
 * broken connection rather than a short body that looks whole (with no {@code Content-Length},
 * a chunked body's last chunk is all that says "complete", RFC 9112 §7.1).
 *
 * <p>Jetty and Tomcat do this themselves when an exception leaves the filter chain after the
 * response was committed. Undertow does not: it ends the exchange, and with it the chunked body,
 * normally. The Servlet API has no call for it, so for Undertow its exchange's connection is
 * closed through its own public methods, found by reflection (the filter depends on no
 * container).
 */
final class ConnectionBreaker {
  private static final Logger LOG = Logger.getLogger(ConnectionBreaker.class.getName());
  private static final String UNDERTOW_RESPONSE = "io.undertow.servlet.spec.HttpServletResponseImpl";

  private ConnectionBreaker() {}

  /** Breaks off {@code response}'s connection if its container would otherwise end it cleanly. */
  static void breakOff(ServletResponse response) {
    ServletResponse r = response;
    while (r instanceof ServletResponseWrapper w) {
      r = w.getResponse();
    }
    if (!r.getClass().getName().equals(UNDERTOW_RESPONSE)) {
      return; // the exception that follows is enough
    }
    try {
      Object exchange = publicMethod(r.getClass(), "getExchange").invoke(r);
      Object connection = publicMethod(exchange.getClass(), "getConnection").invoke(exchange);
      publicMethod(connection.getClass(), "close").invoke(connection);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not break off a short response on Undertow", e);
    }
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
