package dev.edgecache.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.store.ehcache.DiskTierXml;
import io.restassured.specification.RequestSpecification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar's store and logging options, and what it says when an option is wrong. */
class EdgeOptionsTest {
  private static final int MIB = 1 << 20;

  private static RequestSpecification at(EdgeProcess edge) {
    return given().baseUri("http://127.0.0.1").port(edge.port());
  }

  /** Byte k of every body here is k mod 256, as the sample's download page writes it. */
  private static byte[] pattern(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void theSampleRunsOnTheEhcacheStoreOfItsWarAndLogsEachOutcome() throws Exception {
    try (EdgeProcess edge = new EdgeProcess("--store", "ehcache", "--debug")) {
      at(edge).get("/pages/options").then().statusCode(200).header("Cache-Status", containsString("stored"));
      at(edge).get("/pages/options").then().statusCode(200).header("Cache-Status", containsString("hit"));
      byte[] body = at(edge).get("/download?mb=8").then().statusCode(200).extract().asByteArray();
      assertArrayEquals(pattern(8 * MIB), body);
      byte[] again = at(edge).get("/download?mb=8").then().header("Cache-Status", containsString("hit"))
          .extract().asByteArray();
      assertArrayEquals(body, again);

      String log = edge.standardError();
      assertTrue(Pattern.compile("GET \\S*/pages/options MISS").matcher(log).find(), log);
      assertTrue(Pattern.compile("GET \\S*/pages/options HIT").matcher(log).find(), log);
    }
  }

  /** An origin with one 8 MiB object, cacheable for a minute. */
  public static final class BigObject extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      calls.incrementAndGet();
      res.setHeader("Cache-Control", "max-age=60");
      res.setContentType("application/octet-stream");
      try (OutputStream out = res.getOutputStream()) {
        out.write(pattern(8 * MIB));
      }
    }
  }

  @Test
  void theEdgeTakesItsEhcacheTiersFromTheFileGiven(@TempDir Path dir) throws Exception {
    Path disk = dir.resolve("disk");
    Path xml = dir.resolve("ehcache.xml");
    // a few chunks on heap, 8 MB off-heap, and the disk tier, which holds every entry
    DiskTierXml.write(xml, disk, 64);
    BigObject servlet = new BigObject();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--store", "ehcache",
            "--ehcache-config", xml.toString())) {
      byte[] first = at(edge).get("/big").then().statusCode(200).header("Cache-Status", containsString("fwd=uri-miss"))
          .extract().asByteArray();
      assertArrayEquals(pattern(8 * MIB), first);
      byte[] second = at(edge).get("/big").then().statusCode(200).header("Cache-Status", containsString("hit"))
          .extract().asByteArray();
      assertArrayEquals(first, second);
      assertEquals(1, servlet.calls.get());
      try (Stream<Path> files = Files.walk(disk)) {
        long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        assertTrue(bytes >= 4 * MIB, "the disk tier of the file given holds the body: " + bytes + " bytes");
      }
    }
  }

  @Test
  void theMemoryStoreKeepsBodiesLargerThanItsHeapInFilesOfTheDirectoryGiven(@TempDir Path dir) throws Exception {
    Path bodies = dir.resolve("bodies");
    BigObject servlet = new BigObject();
    // a 32 MiB heap: the memory store's share of it is far below the 8 MiB body's place in a file
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess(java.util.List.of("-Xmx32m"), "--origin", origin.url(),
            "--disk-dir", bodies.toString(), "--disk-mb", "64")) {
      byte[] first = at(edge).get("/big").then().statusCode(200).header("Cache-Status", containsString("fwd=uri-miss"))
          .extract().asByteArray();
      assertArrayEquals(pattern(8 * MIB), first);
      try (Stream<Path> files = Files.list(bodies)) {
        assertEquals(List.of(8L * MIB), files.map(p -> p.toFile().length()).toList(), "one file holds the body");
      }
      byte[] second = at(edge).get("/big").then().statusCode(200).header("Cache-Status", containsString("hit"))
          .extract().asByteArray();
      assertArrayEquals(first, second);
      byte[] range = at(edge).header("Range", "bytes=5000000-5000009").get("/big").then().statusCode(206)
          .extract().asByteArray();
      assertArrayEquals(java.util.Arrays.copyOfRange(first, 5_000_000, 5_000_010), range);
      assertEquals(1, servlet.calls.get());
    }
    try (Stream<Path> files = Files.list(bodies)) {
      assertEquals(0, files.count(), "the edge's files go when it stops");
    }
    EdgeProcess.Failure withEhcache = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--store", "ehcache",
        "--disk-dir", bodies.toString());
    assertEquals(2, withEhcache.exitStatus());
    assertTrue(withEhcache.standardError().contains("--disk-dir is for the memory store"), withEhcache.standardError());
  }

  /**
   * A head dribbled a byte at a time is cut off at the bound, though each byte comes well within
   * the idle timeout; a head that arrives whole within it is answered.
   */
  @Test
  void aRequestHeadThatTakesLongerThanItsBoundIsCutOff() throws Exception {
    BigObject servlet = new BigObject();
    java.util.concurrent.ScheduledExecutorService dribbler = java.util.concurrent.Executors.newScheduledThreadPool(1);
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--request-head-timeout", "2");
        java.net.Socket slow = new java.net.Socket("127.0.0.1", edge.port())) {
      byte[] head = ("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "p".repeat(200) + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      OutputStream out = slow.getOutputStream();
      AtomicInteger sent = new AtomicInteger();
      dribbler.scheduleAtFixedRate(() -> {
        try {
          int i = sent.getAndIncrement();
          if (i < head.length) {
            out.write(head[i]);
            out.flush();
          }
        } catch (IOException closed) {
          // the edge closed the connection: what is asserted below
        }
      }, 0, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
      slow.setSoTimeout(20_000);
      int answer;
      try {
        answer = slow.getInputStream().read();
      } catch (java.net.SocketException reset) {
        answer = -1;
      }
      assertEquals(-1, answer, "the edge closes the connection without an answer");
      assertTrue(sent.get() < head.length, "the head was cut off before it was whole: " + sent.get());
      assertEquals(0, servlet.calls.get(), "nothing reached the origin");
      at(edge).get("/big").then().statusCode(200);
    } finally {
      dribbler.shutdownNow();
    }
  }

  @Test
  void aDiskDirectoryWhereNoFileCanBeMadeStopsTheStartInOneLine() throws Exception {
    EdgeProcess.Failure failure = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--disk-dir", "/proc/self");
    assertEquals(1, failure.exitStatus(), failure.standardError());
    List<String> lines = failure.standardError().lines().filter(l -> l.startsWith("edgecache-sample:")).toList();
    assertEquals(1, lines.size(), failure.standardError());
    assertTrue(lines.get(0).contains("cannot write body files in /proc/self"), lines.get(0));
    assertTrue(lines.get(0).contains("give the store a directory where it may make files"), lines.get(0));
  }

  @Test
  void theAccessLogHasALinePerRequestAndEhcacheLogsThroughTheEdgesOwnRoute() throws Exception {
    BigObject servlet = new BigObject();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--store", "ehcache", "--access-log")) {
      List<String> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        io.restassured.response.Response r = at(edge).get("/big?a=1").then().statusCode(200).extract().response();
        assertEquals(8 * MIB, r.asByteArray().length); // read whole before the next request
        statuses.add(r.header("Cache-Status"));
      }
      statuses.add(at(edge).head("/big?a=2").then().statusCode(200).extract().header("Cache-Status"));
      List<String> lines = linesWithin(edge, 3);
      Pattern line = Pattern.compile(
          "127\\.0\\.0\\.1 \\[[^]]+\\] \"(GET|HEAD) (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+) (\\d+)us \"([^\"]*)\"");
      List<java.util.regex.Matcher> m = lines.stream().map(line::matcher).toList();
      assertTrue(m.stream().allMatch(java.util.regex.Matcher::matches), lines.toString());
      assertEquals(List.of("GET /big?a=1", "GET /big?a=1", "HEAD /big?a=2"),
          m.stream().map(x -> x.group(1) + " " + x.group(2)).toList());
      assertEquals(List.of("200", "200", "200"), m.stream().map(x -> x.group(3)).toList());
      assertTrue(Long.parseLong(m.get(1).group(4)) >= 8 * MIB, "the bytes sent: " + lines.get(1));
      assertTrue(Long.parseLong(m.get(2).group(4)) < 8 * MIB, "a HEAD sends no body: " + lines.get(2));
      assertEquals(statuses, m.stream().map(x -> x.group(6)).toList(), "the Cache-Status each client got");
      // a body of no declared length is not said to be stored as its head leaves; the hit shows it was
      assertTrue(statuses.get(0).contains("fwd=uri-miss"), statuses.toString());
      assertTrue(statuses.get(1).contains("hit"), statuses.toString());
      String err = edge.standardError();
      assertTrue(err.contains("org.ehcache.core.EhcacheManager: Cache 'edge-objects' created"), err);
      assertTrue(!err.contains("SLF4J"), "SLF4J is bound: " + err);
    }
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess quiet = new EdgeProcess("--origin", origin.url())) {
      at(quiet).get("/big").then().statusCode(200);
      at(quiet).get("/big").then().statusCode(200);
      assertEquals(List.of(), quiet.output(), "no access log unless asked for");
    }
  }

  /** The edge's first {@code n} lines of output, waiting a little for them (each is written as its response ends). */
  private static List<String> linesWithin(EdgeProcess edge, int n) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (edge.output().size() < n && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    return edge.output();
  }

  @Test
  void theEdgeServesPrometheusTextOnTheAdminPathBehindTheToken() throws Exception {
    String token = "metrics-token-0123456789";
    BigObject servlet = new BigObject();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--admin-token", token)) {
      at(edge).get("/_edge/metrics").then().statusCode(401);
      for (int i = 0; i < 3; i++) {
        assertEquals(8 * MIB, at(edge).get("/big").then().statusCode(200).extract().asByteArray().length);
      }
      String text = at(edge).header("Authorization", "Bearer " + token).get("/_edge/metrics").then()
          .statusCode(200).contentType(containsString("text/plain")).header("Cache-Control", "no-store")
          .extract().asString();
      assertTrue(Pattern.compile("(?m)^edgecache_requests_total\\{[^}]*outcome=\"hit\"[^}]*\\} 2\\.0$")
          .matcher(text).find(), text);
      assertTrue(Pattern.compile("(?m)^edgecache_requests_total\\{[^}]*outcome=\"miss\"[^}]*\\} 1\\.0$")
          .matcher(text).find(), text);
      assertTrue(Pattern.compile("(?m)^edgecache_origin_requests_total\\{[^}]*\\} 1\\.0$").matcher(text).find(), text);
      java.util.regex.Matcher bytes = Pattern.compile("(?m)^edgecache_store_bytes(?:\\{[^}]*\\})? ([0-9.E]+)$").matcher(text);
      assertTrue(bytes.find(), text);
      assertTrue(Double.parseDouble(bytes.group(1)) >= 8 * MIB, "the store holds the 8 MiB body: " + bytes.group(1));
      assertEquals(16.0 * MIB, metric(text, "edgecache_bytes_total", "source=\"cache\""), "two hits of 8 MiB");
      assertTrue(metric(text, "edgecache_bytes_total", "source=\"origin\"") >= 8 * MIB, text);
      assertEquals(1.0, metric(text, "edgecache_origin_latency_seconds_count", ""), text);
      assertEquals(1.0, metric(text, "edgecache_origin_latency_seconds_bucket", "le=\"+Inf\""), text);
      assertEquals(0.0, metric(text, "edgecache_waiters", ""), text);
      assertEquals(0.0, metric(text, "edgecache_fills", ""), text);
      assertEquals(0.0, metric(text, "edgecache_store_evictions_total", ""), text);
      // what a Prometheus user expects beside the cache's own
      assertEquals(1.0, metric(text, "edgecache_build_info", "version=\""), text);
      assertTrue(metric(text, "edgecache_store_capacity_bytes", "") >= 8 * MIB, text);
      assertTrue(text.contains("jvm_memory_used_bytes{"), text);
      assertTrue(text.contains("process_cpu_usage"), text);
      assertTrue(metric(text, "jetty_threads_current", "") > 0, text);
      assertTrue(metric(text, "jetty_connections_current", "port=") >= 1, text);
      // a response is counted as it ends, which may be just after its client has it all
      String ended = text;
      for (int i = 0; i < 100 && metric(ended, "edgecache_request_duration_seconds_count", "outcome=\"hit\"") < 2; i++) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        ended = at(edge).header("Authorization", "Bearer " + token).get("/_edge/metrics").then().extract().asString();
      }
      assertEquals(2.0, metric(ended, "edgecache_request_duration_seconds_count", "outcome=\"hit\""), ended);
      assertEquals(1.0, metric(ended, "edgecache_request_duration_seconds_count", "outcome=\"miss\""), ended);
      assertTrue(metric(ended, "edgecache_responses_total", "class=\"2xx\"") >= 3, ended);
      assertTrue(metric(ended, "edgecache_responses_total", "class=\"4xx\"") >= 1, ended);

      at(edge).post("/big");
      at(edge).header("Cache-Control", "no-cache").get("/big?fresh").then().statusCode(200);
      at(edge).header("Authorization", "Bearer " + token).param("prefix", edge.url() + "/big")
          .post("/_edge/purge").then().statusCode(200);
      String after = at(edge).header("Authorization", "Bearer " + token).get("/_edge/metrics").then()
          .statusCode(200).extract().asString();
      assertEquals(1.0, metric(after, "edgecache_passes_total", "reason=\"method\""), after);
      assertEquals(1.0, metric(after, "edgecache_purges_total", "kind=\"prefix\""), after);
    }
  }

  /** The value of the one sample of {@code name} whose labels hold {@code label}. */
  private static double metric(String text, String name, String label) {
    java.util.regex.Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? ([-+0-9.E]+)$")
        .matcher(text);
    while (m.find()) {
      if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no " + name + " with " + label + " in:\n" + text);
  }

  @Test
  void theSampleServesMetricsTooFromTheFilterItsWarMakes() throws Exception {
    String token = "sample-metrics-token-0123456789";
    try (EdgeProcess edge = new EdgeProcess("--admin-token", token)) {
      at(edge).get("/pages/1").then().statusCode(200);
      at(edge).get("/pages/1").then().statusCode(200);
      String text = at(edge).header("Authorization", "Bearer " + token).get("/_edge/metrics").then()
          .statusCode(200).contentType(containsString("text/plain")).extract().asString();
      assertEquals(1.0, metric(text, "edgecache_requests_total", "outcome=\"hit\""), text);
      assertEquals(1.0, metric(text, "edgecache_requests_total", "outcome=\"miss\""), text);
    }
  }

  @Test
  void anObjectOverTheSizeLimitIsPassedWholeButNotStored() throws Exception {
    BigObject servlet = new BigObject();
    try (TestOrigin origin = new TestOrigin(servlet);
        EdgeProcess edge = new EdgeProcess("--origin", origin.url(), "--max-object-mb", "4")) {
      for (int i = 0; i < 2; i++) {
        byte[] body = at(edge).get("/big").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(pattern(8 * MIB), body);
      }
      assertEquals(2, servlet.calls.get(), "8 MiB is over the 4 MiB limit: each request goes to the origin");
    }
  }

  @Test
  void aWrongOptionStopsTheEdgeWithOneLineThatSaysWhat() throws Exception {
    EdgeProcess.Failure unknownStore = EdgeProcess.runToEnd("--store", "nosuch");
    assertEquals(2, unknownStore.exitStatus());
    assertTrue(unknownStore.standardError().contains("cannot start: --store must be memory or ehcache, not 'nosuch'"),
        unknownStore.standardError());
    assertTrue(!unknownStore.standardError().contains("\tat "), "no stack trace without --debug");

    EdgeProcess.Failure badOrigin = EdgeProcess.runToEnd("--origin", "ftp://origin.example");
    assertEquals(2, badOrigin.exitStatus());
    assertTrue(badOrigin.standardError().contains("--origin must be http://HOST:PORT"), badOrigin.standardError());

    EdgeProcess.Failure noFile = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--store", "ehcache",
        "--ehcache-config", "/nonexistent/ehcache.xml");
    assertEquals(2, noFile.exitStatus());
    assertTrue(noFile.standardError().contains("cannot read the Ehcache configuration /nonexistent/ehcache.xml"),
        noFile.standardError());

    EdgeProcess.Failure tooMuchOffheap = EdgeProcess.runToEnd("--origin", "http://127.0.0.1:9", "--store", "ehcache",
        "--offheap-mb", "100000");
    assertEquals(2, tooMuchOffheap.exitStatus());
    assertTrue(tooMuchOffheap.standardError().contains("raise -XX:MaxDirectMemorySize"), tooMuchOffheap.standardError());
    assertEquals(1, tooMuchOffheap.standardError().lines().filter(l -> l.contains("cannot start")).count());
  }

  @Test
  void theEhcacheStoreSizesItselfToASmallHeapAndTakesSizesFromOptions() throws Exception {
    // -Xmx256m: direct memory defaults to the heap's size; the default off-heap tiers must fit
    try (EdgeProcess edge = new EdgeProcess(java.util.List.of("-Xmx256m"), "--store", "ehcache")) {
      given().get(edge.url() + "/").then().statusCode(200);
    }
    try (EdgeProcess edge = new EdgeProcess(java.util.List.of("-Xmx256m"), "--origin", "http://127.0.0.1:9",
        "--store", "ehcache", "--offheap-mb", "8", "--disk-mb", "64", "--heap-entries", "500")) {
      given().get(edge.url() + "/x").then().statusCode(502); // started: the origin is not there
    }
  }
}
