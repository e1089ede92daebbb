package dev.edgecache.it.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the containers and the filter log at {@code WARNING} and above through
 * {@code java.util.logging} (Tomcat's JULI and the filter log there; so does Undertow's JBoss
 * Logging when nothing else is on the class path) while it is open: a request handled as it
 * should be logs no warning.
 */
final class LogWatch extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new ArrayList<>();

  LogWatch() {
    setLevel(Level.WARNING);
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.WARNING.intValue() && !ignored(record)) {
      records.add(record);
    }
  }

  /**
   * Warnings about the JVM the tests run on, not about what they do; a container reporting an
   * application's own failure (the matrix's applications fail on purpose), or a connection the
   * filter broke off on purpose.
   */
  private static boolean ignored(LogRecord record) {
    String message = String.valueOf(record.getMessage());
    Throwable thrown = record.getThrown();
    return message.contains("--add-opens") || message.contains("memory leak protection")
        || (thrown != null && String.valueOf(thrown.getMessage()).contains(FAILING_ON_PURPOSE))
        || (thrown != null && String.valueOf(thrown.getMessage()).startsWith(BROKEN_OFF))
        // Undertow, completing a response whose connection the filter broke off on purpose
        || (message.contains("UT005088") && thrown instanceof java.nio.channels.ClosedChannelException);
  }

  /**
   * What the filter throws out of a dispatch to break off a waiter's response whose fill failed
   * midway, on a container where only an exception does (Tomcat): the container reports it.
   */
  static final String BROKEN_OFF = "the stored body failed midway";

  /** What an application that fails on purpose says as it does. */
  static final String FAILING_ON_PURPOSE = "the application fails halfway";

  /** What was logged so far, one line each: level, logger, message, and the failure's class. */
  synchronized List<String> lines() {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      out.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
          + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
    }
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
