package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.edgecache.testing.CacheStatusField;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application that goes async, dispatches to itself, declares its page's length on the ASYNC
 * dispatch, writes half of it and fails. For a HEAD nothing of the page reaches the client, so
 * the container answers its error page: that answer must not say {@code stored}, and the next
 * request must reach the application, since nothing was stored. So with the filter mapped for
 * ASYNC dispatches, where the failure passes it, and mapped for REQUEST only, where it does not
 * (a misconfiguration the filter warns about, but a truthful one).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncDispatchFailureTest {
  private static final byte[] PAGE = "a page of about eighty bytes, of which the application writes half before it fails"
      .getBytes(StandardCharsets.US_ASCII);

  static final class FailsOnItsDispatch extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if (req.getDispatcherType() == DispatcherType.REQUEST) {
        calls.incrementAndGet();
        req.startAsync(req, res).dispatch();
        return;
      }
      res.setHeader("Cache-Control", "public, max-age=60");
      res.setContentType("text/plain");
      res.setContentLength(PAGE.length);
      res.getOutputStream().write(PAGE, 0, PAGE.length / 2); // for a HEAD, kept from the client
      throw new IllegalStateException("the application fails on its own dispatch");
    }
  }

  private final FailsOnItsDispatch app = new FailsOnItsDispatch();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private JettyHarness jetty;

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  private HttpResponse<Void> head() throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + "/page"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
  }

  @ParameterizedTest(name = "mapped for {0}")
  @ValueSource(strings = {"REQUEST,ASYNC", "REQUEST"})
  void theErrorPageOfAFailedFillNeverSaysStored(String mapping) throws Exception {
    EnumSet<DispatcherType> dispatches = EnumSet.noneOf(DispatcherType.class);
    for (String d : mapping.split(",")) {
      dispatches.add(DispatcherType.valueOf(d));
    }
    jetty = new JettyHarness(app, null, Map.of(), 200, dispatches);
    for (int i = 1; i <= 2; i++) {
      HttpResponse<Void> r = head();
      String status = r.headers().firstValue("Cache-Status").orElse("");
      assertEquals(500, r.statusCode(), status);
      assertFalse(CacheStatusField.names(status, "stored"), "a failed fill said " + status);
      assertFalse(CacheStatusField.names(status, "hit"), "a failed fill said " + status);
      assertEquals(i, app.calls.get(), "nothing was stored: each request reaches the application");
    }
  }
}
