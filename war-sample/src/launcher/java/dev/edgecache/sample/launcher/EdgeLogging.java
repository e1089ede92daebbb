package dev.edgecache.sample.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The edge's one logging route: the JDK's logging, to which SLF4J is bound in the jar (so that
 * Ehcache's, Terracotta's and Jetty's records arrive there too), one line per record on standard
 * error. Jetty's and Weld's start-up chatter is left out below WARNING, and while the edge
 * starts Jetty says nothing at all: a start that fails is told in the edge's own one line. With
 * {@code --debug}, everything from INFO up (the edge's own from FINE, each request's outcome) and
 * stack traces. A {@code java.util.logging.config.file} given to the JVM is left to rule.
 */
final class EdgeLogging {
  /** Held here: a logger nobody holds may be collected, and its level with it. */
  private static final Logger EDGE = Logger.getLogger("dev.edgecache");
  private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");
  private static final Logger WELD = Logger.getLogger("org.jboss.weld");

  private EdgeLogging() {}

  /** Installs the route, before the server starts. */
  static void install(boolean debug) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter(new OneLine(debug));
    root.addHandler(console);
    root.setLevel(Level.INFO);
    EDGE.setLevel(debug ? Level.FINE : Level.INFO);
    JETTY.setLevel(debug ? Level.INFO : Level.OFF);
    WELD.setLevel(debug ? Level.INFO : Level.WARNING);
  }

  /** The server has started: Jetty's warnings may be heard from now on. */
  static void started(boolean debug) {
    if (!debug && JETTY.getLevel() == Level.OFF) {
      JETTY.setLevel(Level.WARNING);
    }
  }

  /** {@code 2026-12-02T14:56:27.123Z WARNING logger: message}, a cause on the same line. */
  static final class OneLine extends Formatter {
    private final boolean traces;

    OneLine(boolean traces) {
      this.traces = traces;
    }

    @Override
    public String format(LogRecord r) {
      StringBuilder b = new StringBuilder(160).append(Instant.ofEpochMilli(r.getMillis())).append(' ')
          .append(r.getLevel().getName()).append(' ').append(r.getLoggerName()).append(": ")
          .append(oneLine(formatMessage(r)));
      Throwable t = r.getThrown();
      if (t != null && traces) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        b.append(System.lineSeparator()).append(trace.toString().stripTrailing());
      } else if (t != null) {
        b.append(" (").append(oneLine(String.valueOf(t))).append(')');
      }
      return b.append(System.lineSeparator()).toString();
    }

    /** A message on one line: a logged value must not forge the next record. */
    private static String oneLine(String s) {
      return s == null ? "" : s.replace("\r", "\\r").replace("\n", "\\n");
    }
  }
}
