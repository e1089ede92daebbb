package dev.edgecache.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The container specification on Undertow, and what its small worker pool makes particular. */
class UndertowSpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return UndertowContainer::new;
  }

  /**
   * Undertow has cores x 8 worker threads (16 here). More concurrent requests than that for an
   * application that answers through {@code AsyncContext.start}: the waiters can take every
   * worker while the owner's task waits in the queue behind them. At the lock timeout they all go
   * on their own at once, so every request is answered within a bound that handing the key to
   * one waiter per timeout (40 x 5 s) would break.
   */
  @Test
  void moreWaitersThanWorkerThreadsAllGetAnswered() throws Exception {
    SpecApp app = new SpecApp();
    // the default lock timeout (5 s): handing the key to one waiter per timeout took minutes here
    try (EmbeddedContainer undertow = kind().start(app, Map.of())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + undertow.port()
            + "/async-start")).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals(true, r.body().startsWith("async by AsyncContext.start "), r.body());
      }
    }
  }
}
