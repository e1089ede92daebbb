package dev.edgecache.it;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * Tomcat's own race, without the filter: an application that dispatches a request to itself
 * (ASYNC), starts async again in that dispatch and answers {@code sendError(404)} from
 * {@code AsyncContext.start}. Now and then the runnable's {@code sendError} comes before the
 * ASYNC dispatch has returned, Tomcat takes it for an error of the dispatch, and the request ends
 * in a 500 or a closed connection, with "asyncPostProcess() is not valid" or "asyncComplete() is
 * not valid" in its log. The filter resumes waiters through an ASYNC dispatch, which is how the
 * call-order matrix meets it (see {@code TomcatMatrixTest.containerDefect}).
 */
final class TomcatAsyncErrorRace {
  /** Requests that did not get their 404, and Tomcat's SEVERE reports, of {@code requests}. */
  record Outcome(int failed, int reports) {}

  private TomcatAsyncErrorRace() {}

  static Outcome run(int requests) throws Exception {
    AtomicInteger reports = new AtomicInteger();
    Handler counter = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
          reports.incrementAndGet();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(counter);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-race").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "app", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        if (req.getDispatcherType() != DispatcherType.ASYNC) {
          req.startAsync().dispatch();
          return;
        }
        AsyncContext ac = req.startAsync(req, res);
        ac.start(() -> {
          try {
            ((HttpServletResponse) ac.getResponse()).sendError(404);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            ac.complete();
          }
        });
      }
    }).setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "app");
    tomcat.start();
    try {
      int port = tomcat.getConnector().getLocalPort();
      int failed = 0;
      for (int i = 0; i < requests; i++) {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/race/" + i).toURL()
            .openConnection();
        try {
          failed += c.getResponseCode() == 404 ? 0 : 1;
        } catch (IOException broken) {
          failed++;
        } finally {
          c.disconnect();
        }
      }
      return new Outcome(failed, reports.get());
    } finally {
      tomcat.stop();
      tomcat.destroy();
      root.removeHandler(counter);
    }
  }
}
