package dev.edgecache.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable edge as an operator runs it: its token kept secret, its options and version. */
class EdgeOperatorTest {
  private static final String TOKEN = "operator-token-0123456789";

  /** Notes every request and Authorization it is sent; everything is fresh for a minute. */
  static final class Recording extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      requests.add(req.getMethod() + " " + req.getRequestURI());
      if (req.getHeader("Authorization") != null) {
        authorizations.add(req.getHeader("Authorization"));
      }
      res.setHeader("Cache-Control", "max-age=60");
      res.getWriter().print("page");
    }
  }

  private static RequestSpecification at(EdgeProcess edge) {
    return given().baseUri(edge.url());
  }

  @Test
  void theTokenComesFromAFileAndNeverReachesTheOrigin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    Recording servlet = new Recording();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--admin-token-file", file.toString())) {
      at(edge).header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200);
      at(edge).header("Authorization", "Bearer " + TOKEN).post("/APP/_edge/purge").then().statusCode(404);
      at(edge).header("Authorization", "Bearer " + TOKEN).get("/_EDGE/stats").then().statusCode(404);
      at(edge).header("Authorization", "Bearer " + TOKEN).get("/page").then().statusCode(404);
      at(edge).request("BAN", "/page").then().statusCode(405);
      at(edge).header("Authorization", "Bearer " + TOKEN).request("BAN", "/page").then().statusCode(405);
      assertEquals(List.of(), servlet.requests, "nothing above reached the origin");
      at(edge).get("/page").then().statusCode(200);
      assertEquals(List.of("GET /page"), servlet.requests);
      assertEquals(List.of(), servlet.authorizations);
    }
  }

  @Test
  void aTokenFileThatCannotBeReadStopsTheStartInOneLine(@TempDir Path dir) throws Exception {
    EdgeProcess.Failure missing = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--admin-token-file",
        dir.resolve("absent").toString());
    assertEquals(2, missing.exitStatus(), missing.standardError());
    assertTrue(missing.standardError().contains("admin-token-file " + dir.resolve("absent") + " cannot be read"),
        missing.standardError());
    assertTrue(missing.standardError().contains("give a readable file whose first line is the token"),
        missing.standardError());
  }

  @Test
  void theEdgeSaysItsVersionAndHintsAtAMistypedOption() throws Exception {
    EdgeProcess.Failure version = EdgeProcess.runToEnd("--version");
    assertEquals(0, version.exitStatus(), version.standardError());
    assertTrue(version.standardOutput().matches("edgecache \\d+\\.\\d+\\.\\d+.*\\R"), version.standardOutput());

    EdgeProcess.Failure typo = EdgeProcess.runToEnd("--prot", "8080");
    assertEquals(2, typo.exitStatus());
    assertTrue(typo.standardError().contains("unknown option --prot (did you mean --port?)"), typo.standardError());
  }

  @Test
  void aPortInUseIsSaidSo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      EdgeProcess.Failure busy = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--port",
          Integer.toString(taken.getLocalPort()));
      assertEquals(1, busy.exitStatus(), busy.standardError());
      assertTrue(busy.standardError().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use: stop what"
          + " listens there, or give another --port"), busy.standardError());
    }
  }

  @Test
  void originFailuresAreLoggedCountedAndShown() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (EdgeProcess edge = new EdgeProcess("--origin", "http://127.0.0.1:" + closed, "--admin-token", TOKEN)) {
      for (int i = 0; i < 5; i++) {
        at(edge).get("/down/" + i).then().statusCode(502);
      }
      String text = at(edge).header("Authorization", "Bearer " + TOKEN).get("/_edge/metrics").then()
          .statusCode(200).extract().asString();
      assertTrue(text.contains("edgecache_origin_errors_total{cache=\"edgecache\",kind=\"connect\"} 5.0"), text);
      assertTrue(text.contains("edgecache_origin_errors_total{cache=\"edgecache\",kind=\"timeout\"} 0.0"), text);
      assertTrue(text.contains("edgecache_origin_requests_total{cache=\"edgecache\"} 5.0"), text);
      at(edge).header("Authorization", "Bearer " + TOKEN).get("/_edge/stats").then().statusCode(200)
          .body("origin.errors.connect", org.hamcrest.Matchers.equalTo(5))
          .body("origin.lastError.kind", org.hamcrest.Matchers.equalTo("connect"));
      List<String> warnings = edge.standardError().lines()
          .filter(l -> l.contains("WARNING") && l.contains("origin failed (connect)")).toList();
      assertEquals(1, warnings.size(), edge.standardError());
      assertTrue(warnings.get(0).contains("127.0.0.1:" + closed), warnings.get(0));
    }
  }

  @Test
  void purgesThroughTheRunnableEdgeDoWhatTheySay() throws Exception {
    Recording servlet = new Recording();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--admin-token", TOKEN)) {
      RequestSpecification admin = at(edge).header("Authorization", "Bearer " + TOKEN);
      at(edge).get("/x").then().statusCode(200);
      // everything soft is refused, never done hard
      at(edge).header("Authorization", "Bearer " + TOKEN).param("all", "true").param("soft", "1")
          .post("/_edge/purge").then().statusCode(400);
      at(edge).get("/x").then().header("Cache-Status", org.hamcrest.Matchers.containsString("hit"));
      // the public URL behind a TLS terminator purges what the edge stored under its own port
      at(edge).header("Authorization", "Bearer " + TOKEN).param("url", "https://127.0.0.1/x")
          .post("/_edge/purge").then().statusCode(200).body("purged", org.hamcrest.Matchers.equalTo(1));
      at(edge).get("/x").then().header("Cache-Status", org.hamcrest.Matchers.containsString("stored"));
      // dot segments resolve; a scope purge says it cannot count
      at(edge).header("Authorization", "Bearer " + TOKEN).param("prefix", edge.url() + "/a/../x")
          .post("/_edge/purge").then().statusCode(200)
          .body("items[0].scope", org.hamcrest.Matchers.equalTo("invalidated"));
      at(edge).get("/x").then().header("Cache-Status", org.hamcrest.Matchers.containsString("stored"));
      // soft with Fastly's spelling
      admin.header("Fastly-Soft-Purge", "1").request("PURGE", "/x").then().statusCode(200)
          .body("soft", org.hamcrest.Matchers.equalTo(true));
      assertEquals(3, servlet.requests.size(), servlet.requests.toString());
    }
  }
}
