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

/** The container specification on Undertow. */
class UndertowSpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return UndertowContainer::new;
  }

  /** Undertow has no interim responses for applications: the filter sends none there. */
  @Override
  boolean sendsEarlyHints() {
    return false;
  }
}
