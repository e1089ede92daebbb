package dev.edgecache.it;

import dev.edgecache.store.ehcache.DiskTierXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load runs of the README's benchmark table, each measured in one run with the load
 * generator and the server on loopback: (1) hit throughput through the filter against a plain
 * servlet; (2) the same through the runnable edge in reverse-proxy mode; (3) 1,000 concurrent
 * requests on one cold URL whose origin takes 500 ms; (4) a 2 GiB object through the Ehcache
 * disk tier of an edge with a 256 MiB heap; (5) time to first byte and total time of a 10 MiB
 * miss, with and without the filter; (6) the collapse of (3) through the runnable edge against
 * Varnish, and 10,000 at once through the edge; (7) downloads of an object whose filling client
 * reads nothing; (8) 1,000 waiters on Undertow's 16 workers; (12) hits of an HTML page in the
 * cache's coding variants, for clients that ask for br, zstd, gzip and none; (13)
 * four edges on a stripe of an active and a passive server; (14) what a stripe's servers spend on each
 * operation of its edges, and how many objects a pool holds; (15) Tomcat's own race between an
 * ASYNC dispatch and an async {@code sendError}, without the filter; (16) a Zipf-distributed key
 * set through an edge whose store holds a few of its objects, with admission off and on. Arguments name the runs
 * (default: 1 to 10). Throughput runs
 * alternate the two sides in rounds and report each side's median, so that a noisy neighbour
 * weighs on both.
 */
public final class LoadBenchmarks {
  private static final int CONNECTIONS = 16;
  private static final int ROUNDS = 7;
  private static final double ROUND_SECONDS = 4;
  /** Small misses that warm the miss path before the large misses of run 5 are timed. */
  private static final int WARM_MISSES = 20_000;
  private static final List<String> ROWS = new ArrayList<>();

  private LoadBenchmarks() {}

  public static void main(String[] args) throws Exception {
    List<String> runs = args.length == 0 ? List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10") : Arrays.asList(args);
    System.out.println(machine());
    try (BenchServer server = new BenchServer()) {
      for (String run : runs) {
        switch (run) {
          case "1" -> hits(server);
          case "2" -> proxyHits(server);
          case "3" -> collapse(server);
          case "4" -> largeObject(server);
          case "5" -> missOverhead(server);
          case "6" -> collapseAgainstVarnish(server);
          case "7" -> stalledOwner(server);
          case "8" -> undertowWaiters();
          case "9" -> clusterHits(server);
          case "10" -> clusterPurges(server);
          case "11" -> clusterCollapse(server);
          case "12" -> codings(server);
          case "13" -> stripeScale(server);
          case "14" -> stripeCosts(server);
          case "15" -> tomcatRace();
          case "16" -> admission(server);
          default -> throw new IllegalArgumentException("runs are 1 to 16, not " + run);
        }
      }
    }
    System.out.println();
    System.out.println("| run | measured | figure |");
    System.out.println("|---|---|---|");
    ROWS.forEach(System.out::println);
  }

  private static void row(String run, String measured, String figure) {
    String r = "| " + run + " | " + measured + " | " + figure + " |";
    ROWS.add(r);
    System.out.println(r);
  }

  /**
   * (1) A cached response of 4 KiB, 64 KiB and 1 MiB through the filter, against the same
   * servlet without it writing the same bytes.
   */
  private static void hits(BenchServer server) throws Exception {
    for (String size : List.of("4k", "64k", "1m")) {
      prime(server.port(), "/cached/" + size);
      double[] ratio = compare(server.port(), "/cached/" + size, server.port(), "/plain/" + size, 2 * ROUND_SECONDS);
      row("1 hit", sizeName(size) + ", requests/s: through the filter (hit) / plain servlet, median of 7 rounds; "
          + "ratio median (range)", ratios(ratio));
    }
  }

  /**
   * (12) An HTML page of 4 KiB and of 64 KiB in the cache's coding variants: hits for clients
   * that ask for gzip (the variant the cache gzipped) and for clients that do not (the variant
   * kept as the origin sent it), against hits of the same page through the filter with
   * {@code gzip=false}; then hits of the br and zstd variants against the gzip one, with the
   * bytes each coding takes.
   */
  private static void codings(BenchServer server) throws Exception {
    String gzip = "Accept-Encoding: gzip\r\n";
    for (String size : List.of("4k.html", "64k.html")) {
      String zipped = "/cached/" + size;
      String plain = "/cached-identity/" + size;
      long stored;
      try (RawHttpClient c = new RawHttpClient(server.port())) {
        c.get(plain, null);
        if (!c.get(plain, null).fields().getOrDefault("cache-status", "").contains("hit")) {
          throw new IllegalStateException(plain + " is not a hit after one request");
        }
        c.get(zipped, null, gzip);
        RawHttpClient.Response r = c.get(zipped, null, gzip);
        if (!"gzip".equals(r.fields().get("content-encoding")) || !r.fields().get("cache-status").contains("hit")) {
          throw new IllegalStateException(zipped + " is not a gzip hit: " + r.fields());
        }
        stored = r.bodyBytes();
      }
      String name = size.replace(".html", "").replace("k", " KiB") + " HTML";
      double[] asked = compare(server.port(), zipped, gzip, server.port(), plain, "", 2 * ROUND_SECONDS);
      row("12 gzip hit", name + " (" + stored + " bytes gzipped), requests/s: client asking for gzip / identity"
          + " object; ratio median (range)", ratios(asked));
      double[] decoded = compare(server.port(), zipped, "", server.port(), plain, "", 2 * ROUND_SECONDS);
      row("12 identity hit", name + ", requests/s: client without gzip, from its own variant / identity object;"
          + " ratio median (range)", ratios(decoded));
      for (String coding : List.of("br", "zstd")) {
        String asking = "Accept-Encoding: " + coding + "\r\n";
        long codedBytes;
        try (RawHttpClient c = new RawHttpClient(server.port())) {
          c.get(zipped, null, asking);
          RawHttpClient.Response r = c.get(zipped, null, asking);
          if (!coding.equals(r.fields().get("content-encoding")) || !r.fields().get("cache-status").contains("hit")) {
            throw new IllegalStateException(zipped + " is not a " + coding + " hit: " + r.fields());
          }
          codedBytes = r.bodyBytes();
        }
        double[] hits = compare(server.port(), zipped, asking, server.port(), zipped, gzip, 2 * ROUND_SECONDS);
        row("12 " + coding + " hit", name + " (" + codedBytes + " bytes in " + coding + ", " + stored
            + " in gzip), requests/s: client asking for " + coding + " / client asking for gzip; ratio median (range)",
            ratios(hits));
      }
    }
  }

  private static String sizeName(String size) {
    return size.replace("k", " KiB").replace("m", " MiB");
  }

  /** (2) The runnable edge in front of the plain servlet, serving a cached 4 KiB object. */
  private static void proxyHits(BenchServer server) throws Exception {
    try (EdgeProcess edge = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url())) {
      prime(edge.port(), "/plain/4k");
      // a JVM of its own, started cold: a longer warm-up than the in-process server needs
      double[] ratio = compare(edge.port(), "/plain/4k", server.port(), "/plain/4k", 5 * ROUND_SECONDS);
      row("2 proxy hit", "4 KiB, requests/s: the edge in proxy mode (hit) / plain servlet, likewise", ratios(ratio));
    }
  }

  /**
   * (9) A hot 4 KiB object on the clustered tier, filled through one edge and read through the
   * other of two edges on one Terracotta server, against an edge on the in-memory store.
   */
  private static void clusterHits(BenchServer server) throws Exception {
    dev.edgecache.store.ehcache.TerracottaServer tc = dev.edgecache.store.ehcache.TerracottaServer.start();
    String cluster = tc.uri("bench-hits").toString();
    try (EdgeProcess a = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster);
        EdgeProcess b = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster);
        EdgeProcess memory = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url())) {
      try (RawHttpClient c = new RawHttpClient(a.port())) {
        c.get("/plain/4k", BenchServer::check); // filled through the first edge
      }
      prime(b.port(), "/plain/4k"); // a hit on the second, from the cluster
      prime(memory.port(), "/plain/4k");
      double[] ratio = compare(b.port(), "/plain/4k", memory.port(), "/plain/4k", 5 * ROUND_SECONDS);
      row("9 cluster hit", "4 KiB, requests/s: the second of two clustered edges (hit) / an edge on the"
          + " in-memory store, likewise", ratios(ratio));
    } finally {
      tc.stop();
    }
  }

  /**
   * (10) How long after a purge returns on one clustered edge the other serves the new version:
   * 200 purges of a tag, each followed by requests to the other edge until its body changes.
   */
  private static void clusterPurges(BenchServer server) throws Exception {
    dev.edgecache.store.ehcache.TerracottaServer tc = dev.edgecache.store.ehcache.TerracottaServer.start();
    String cluster = tc.uri("bench-purges").toString();
    String token = "bench-admin-token-0123456789";
    try (EdgeProcess a = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster,
            "--admin-token", token);
        EdgeProcess b = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster,
            "--admin-token", token)) {
      int purges = 200;
      long[] micros = new long[purges];
      long[] coldMicros = new long[purges]; // what any miss on B costs: one fill through the cluster
      try (RawHttpClient onA = new RawHttpClient(a.port()); RawHttpClient onB = new RawHttpClient(b.port())) {
        for (int i = 0; i < purges + 20; i++) {
          String target = "/counted/4k"; // a new body on every origin call
          onB.get(target, BenchServer::check);
          String before = onB.get(target, BenchServer::check).fields().getOrDefault("x-origin-call", "");
          purge(a.port(), token);
          long returned = System.nanoTime();
          while (onB.get(target, BenchServer::check).fields().getOrDefault("x-origin-call", "").equals(before)) {
            if (System.nanoTime() - returned > 10_000_000_000L) {
              throw new IllegalStateException("the purge never reached the other edge");
            }
          }
          long seen = System.nanoTime();
          onB.get("/counted/cold-" + i + "/4k", BenchServer::check);
          if (i >= 20) { // the first rounds warm both edges up
            micros[i - 20] = (seen - returned) / 1000;
            coldMicros[i - 20] = (System.nanoTime() - seen) / 1000;
          }
        }
      }
      Arrays.sort(micros);
      Arrays.sort(coldMicros);
      row("10 cluster purge", "from a tag purge returning on one clustered edge to the other serving the new"
          + " version, p50 / p99 of 200", "%.1f / %.1f ms".formatted(micros[purges / 2] / 1000.0,
              micros[purges * 99 / 100] / 1000.0));
      row("10 cluster miss", "a cold miss on the other edge in the same rounds (the fill that serving the new"
          + " version costs), p50 / p99 of 200", "%.1f / %.1f ms".formatted(coldMicros[purges / 2] / 1000.0,
              coldMicros[purges * 99 / 100] / 1000.0));
    } finally {
      tc.stop();
    }
  }

  private static void purge(int port, String token) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      String body = "tag=counted";
      s.getOutputStream().write(("POST /_edge/purge HTTP/1.1\r\nHost: bench.example\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      if (!answer.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException("purge failed: " + answer);
      }
    }
  }

  /** (3) 1,000 clients at once on one cold URL whose origin takes 500 ms. */
  private static void collapse(BenchServer server) throws Exception {
    collapse(server, server.port(), "/cached/slow?warm=" + System.nanoTime(), 1000); // JIT warm-up
    Collapse c = collapse(server, server.port(), "/cached/slow?run=" + System.nanoTime(), 1000);
    row("3 collapse", "origin requests for 1,000 concurrent cold requests", "**" + c.originCalls() + "**");
    row("3 collapse", "client latency p50 / p99 / max, origin takes 500 ms", c.latencies());
  }

  /** What one collapse round measured. */
  private record Collapse(int originCalls, long p50Millis, long p99Millis, long maxMillis) {
    String latencies() {
      return "%d / %d / %d ms".formatted(p50Millis, p99Millis, maxMillis);
    }
  }

  /**
   * (11) Collapsing across a cluster: 1,000 clients at once on one cold URL whose origin takes
   * 500 ms, half of them on each of two edges sharing a Terracotta server; five rounds, after one
   * to warm up.
   */
  private static void clusterCollapse(BenchServer server) throws Exception {
    dev.edgecache.store.ehcache.TerracottaServer tc = dev.edgecache.store.ehcache.TerracottaServer.start();
    String cluster = tc.uri("bench-collapse").toString();
    try (EdgeProcess a = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster);
        EdgeProcess b = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(), "--cluster", cluster)) {
      int[] both = {a.port(), b.port()};
      collapse(server, both, "/plain/slow?warm=" + System.nanoTime(), 1000);
      List<Collapse> rounds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        rounds.add(collapse(server, both, "/plain/slow?run=" + System.nanoTime(), 1000));
      }
      row("11 cluster collapse", "origin requests per 1,000 concurrent cold requests, half on each of two"
          + " clustered edges (every round)", rounds.stream().map(r -> Integer.toString(r.originCalls()))
              .collect(java.util.stream.Collectors.joining(", ")));
      rounds.sort(java.util.Comparator.comparingLong(Collapse::p99Millis));
      row("11 cluster collapse", "client latency p50 / p99 / max, origin 500 ms, median round by p99",
          rounds.get(rounds.size() / 2).latencies());
    } finally {
      tc.stop();
    }
  }

  /**
   * (13) Four runnable edges ({@code -Xmx256m} each) on a stripe of an active and a passive
   * Terracotta server: the 4 KiB hits per second of one edge loaded alone, and of each of the four
   * loaded at once (a shared tier serves every edge's hits from the edge's own heap tier, so the
   * edges should scale with the machine, not with the server); then 1,000 concurrent cold
   * requests spread over the four, and the origin requests they cost.
   */
  private static void stripeScale(BenchServer server) throws Exception {
    try (dev.edgecache.store.ehcache.TerracottaStripe stripe = dev.edgecache.store.ehcache.TerracottaStripe.start()) {
      String cluster = stripe.uri("bench-scale").toString();
      List<EdgeProcess> edges = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          edges.add(new EdgeProcess(List.of("-Xmx256m"), "--origin", server.url(), "--cluster", cluster,
              "--cluster-mb", "32"));
        }
        int[] ports = edges.stream().mapToInt(EdgeProcess::port).toArray();
        try (RawHttpClient c = new RawHttpClient(ports[0])) {
          c.get("/plain/4k", BenchServer::check); // filled through the first edge, a hit on the others
        }
        for (int port : ports) {
          prime(port, "/plain/4k");
        }
        double alone = throughput(ports[0], "/plain/4k", ROUND_SECONDS * 2);
        double[] each = new double[ports.length];
        inParallel(ports.length, "a client", n -> each[n] = throughput(ports[n], "/plain/4k", ROUND_SECONDS * 2));
        double total = Arrays.stream(each).sum();
        double[] sorted = each.clone();
        Arrays.sort(sorted);
        row("13 stripe hits", "4 KiB hits/s: one of four edges on a stripe loaded alone; each of the four loaded"
            + " at once (min / median / max); the four together", "%,.0f; %,.0f / %,.0f / %,.0f; %,.0f".formatted(
                alone, sorted[0], (sorted[1] + sorted[2]) / 2, sorted[3], total));
        List<Collapse> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          rounds.add(collapse(server, ports, "/plain/slow?stripe=" + System.nanoTime(), 1000));
        }
        row("13 stripe collapse", "origin requests per 1,000 concurrent cold requests spread over four edges on a"
            + " stripe (every round)", rounds.stream().map(r -> Integer.toString(r.originCalls()))
                .collect(java.util.stream.Collectors.joining(", ")));
      } finally {
        edges.forEach(EdgeProcess::close);
      }
    }
  }

  /**
   * (14) What each operation of an edge costs a stripe's servers, in the CPU time the operating
   * system reports for their processes (not wall time, so that a busy machine inflates it
   * little), after a warm-up of the servers' JIT: a fill with one edge on the stripe and with
   * four, a first read of an object another edge stored (from the server into the edge's heap
   * tier), a hot hit, and a second of four idle edges against one of none; then how many 64 KiB
   * objects pools of {@code --cluster-mb 8} hold, counted with {@code only-if-cached} from an edge
   * that never read them. The README's capacity figures are these costs multiplied out.
   */
  private static void stripeCosts(BenchServer server) throws Exception {
    try (dev.edgecache.store.ehcache.TerracottaStripe stripe = dev.edgecache.store.ehcache.TerracottaStripe.start()) {
      String active = stripe.activeName();
      String passive = stripe.names().stream().filter(n -> !n.equals(active)).findFirst().orElseThrow();
      String cluster = stripe.uri("bench-costs").toString();
      List<EdgeProcess> edges = new ArrayList<>();
      try {
        edges.add(edge(server, cluster, "32"));
        int port = edges.get(0).port();
        requestAll(port, targets("/plain/4k?warm=", 300), "", "miss");
        fillCost(stripe, active, passive, port, "/plain/4k?one=", "one edge on the stripe");
        for (int i = 0; i < 3; i++) {
          edges.add(edge(server, cluster, "32"));
        }
        List<String> filled = fillCost(stripe, active, passive, port, "/plain/4k?four=", "four edges on the stripe");
        ServerCpu cpu = new ServerCpu(stripe, active, passive);
        int read = requestAll(edges.get(1).port(), filled, "", "hit");
        row("14 stripe costs", "server CPU per first read on another edge (" + read + " objects stored by the"
            + " first, now in this edge's heap tier): active / passive", micros(cpu.since(read)));
        prime(edges.get(2).port(), "/plain/4k");
        cpu = new ServerCpu(stripe, active, passive);
        long hits = Math.round(throughput(edges.get(2).port(), "/plain/4k", 2 * ROUND_SECONDS) * 2 * ROUND_SECONDS);
        row("14 stripe costs", "server CPU per hot hit (%,d hits of one object on one edge): active / passive"
            .formatted(hits), micros(cpu.since(hits)));
        cpu = new ServerCpu(stripe, active, passive);
        Thread.sleep(10_000);
        row("14 stripe costs", "server CPU per second, four idle edges on the stripe: active / passive",
            micros(cpu.since(10)));
      } finally {
        edges.forEach(EdgeProcess::close);
      }
      ServerCpu cpu = new ServerCpu(stripe, active, passive);
      Thread.sleep(10_000);
      row("14 stripe costs", "server CPU per second, no edge on the stripe: active / passive", micros(cpu.since(10)));
      // How many objects the stripe holds: 64 KiB objects past what its 256 MB resource can keep
      String small = stripe.uri("bench-capacity").toString();
      try (EdgeProcess writer = edge(server, small, "8");
          EdgeProcess reader = edge(server, small, "8")) {
        List<String> objects = targets("/plain/64k?fit=", 4_096);
        int passed = 4_096 - requestAll(writer.port(), objects, "", "miss");
        int kept = requestAll(reader.port(), objects, "Cache-Control: only-if-cached\r\n", null);
        row("14 stripe capacity", "64 KiB objects still served of 4,096 (256 MiB) filled into a stripe whose"
            + " off-heap resource is 256 MB, with pools of 8 MB (`--cluster-mb 8`); fills that passed uncached;"
            + " body bytes kept per MB of the resource", "%,d; %d; %,.0f KiB".formatted(kept, passed, kept * 64.0 / 256));
      }
    }
  }

  /** (15) Tomcat alone, no filter: {@link TomcatAsyncErrorRace}. */
  private static void tomcatRace() throws Exception {
    int requests = 3_000;
    TomcatAsyncErrorRace.Outcome o = TomcatAsyncErrorRace.run(requests);
    row("15 Tomcat race", "requests of " + String.format("%,d", requests) + " that did not get their 404, and"
        + " Tomcat's SEVERE reports: an application's own ASYNC dispatch answering sendError from"
        + " AsyncContext.start, no filter", o.failed() + "; " + o.reports());
  }

  private static EdgeProcess edge(BenchServer server, String cluster, String clusterMb) throws Exception {
    return new EdgeProcess(List.of("-Xmx256m"), "--origin", server.url(), "--cluster", cluster,
        "--cluster-mb", clusterMb);
  }

  private static List<String> targets(String prefix, int count) {
    List<String> targets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      targets.add(prefix + i);
    }
    return targets;
  }

  /** 600 fills of 4 KiB objects through {@code port}, and what each cost the servers; returns the targets. */
  private static List<String> fillCost(dev.edgecache.store.ehcache.TerracottaStripe stripe, String active,
      String passive, int port, String prefix, String edges) throws Exception {
    List<String> targets = targets(prefix, 600);
    ServerCpu cpu = new ServerCpu(stripe, active, passive);
    long nanos = System.nanoTime();
    int filled = requestAll(port, targets, "", "miss");
    if (filled < targets.size()) {
      System.out.printf("%d of %d fills passed uncached%n", targets.size() - filled, targets.size());
    }
    nanos = System.nanoTime() - nanos;
    row("14 stripe costs", "server CPU per fill of a 4 KiB object, " + edges + " (" + filled + " fills, 8 clients"
        + " on one edge, %,.0f fills/s): active / passive".formatted(filled / (nanos / 1e9)), micros(cpu.since(filled)));
    return targets;
  }

  /** The size part of a target such as {@code /plain/4k?n=1}. */
  private static String size(String target) {
    int q = target.indexOf('?');
    return target.substring(target.lastIndexOf('/') + 1, q < 0 ? target.length() : q);
  }

  private static String micros(double[] activePassive) {
    return "%,.0f / %,.0f µs".formatted(activePassive[0], activePassive[1]);
  }

  /** The CPU time a stripe's two servers have used since it was made. */
  private static final class ServerCpu {
    private final dev.edgecache.store.ehcache.TerracottaStripe stripe;
    private final String active;
    private final String passive;
    private final long activeNanos;
    private final long passiveNanos;

    ServerCpu(dev.edgecache.store.ehcache.TerracottaStripe stripe, String active, String passive) {
      this.stripe = stripe;
      this.active = active;
      this.passive = passive;
      this.activeNanos = stripe.cpu(active).toNanos();
      this.passiveNanos = stripe.cpu(passive).toNanos();
    }

    /** Microseconds of each server's CPU per one of {@code operations} since this was made. */
    double[] since(double operations) {
      return new double[] {(stripe.cpu(active).toNanos() - activeNanos) / 1e3 / operations,
          (stripe.cpu(passive).toNanos() - passiveNanos) / 1e3 / operations};
    }
  }

  /**
   * GETs every target once, on 8 connections to {@code port} sharing the list; returns how many
   * answered 200 with their whole body and, with {@code expect} ("miss" or "hit"), said so in their
   * {@code Cache-Status} (one that passed uncached, as when a lock or a lookup on a busy stripe takes
   * too long, is not counted). A wrong status or a body of the wrong length is a failure.
   */
  private static int requestAll(int port, List<String> targets, String fields, String expect) throws Exception {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    inParallel(8, "a client", t -> {
      try (RawHttpClient c = new RawHttpClient(port)) {
        for (int i; (i = next.getAndIncrement()) < targets.size(); ) {
          RawHttpClient.Response r = c.get(targets.get(i), null, fields);
          String status = r.fields().getOrDefault("cache-status", "");
          if (r.status() != 200 && expect != null || r.status() == 200 && r.bodyBytes()
              != BenchServer.length(size(targets.get(i)))) {
            throw new IllegalStateException(targets.get(i) + ": " + r.status() + ", " + r.bodyBytes() + " bytes");
          }
          if (expect != null && !status.contains(expect)) {
            continue;
          }
          if (r.status() == 200 && r.bodyBytes() == BenchServer.length(size(targets.get(i)))) {
            ok.incrementAndGet();
          }
        }
      }
    });
    return ok.get();
  }

  /** A task of one of the threads {@link #inParallel} starts, given its index. */
  private interface Task {
    void run(int index) throws Exception;
  }

  /**
   * Runs {@code task} on {@code count} threads of its own at once, waits for all, and throws the
   * first failure, saying it was {@code what}'s.
   */
  private static void inParallel(int count, String what, Task task) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          task.run(index);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(what + " failed", failure.get());
    }
  }


  /**
   * (16) Admission: 100,000 requests for 50,000 URLs of 4 KiB (Zipf, s = 0.9: a few URLs asked
   * often, most once or never) from 8 clients, through the runnable edge with a 16 MiB store,
   * which holds about a fifteenth of them; once with every response stored ({@code min-uses=1})
   * and once with {@code min-uses=2}. The same request sequence both times.
   */
  private static void admission(BenchServer server) throws Exception {
    int keys = 50_000;
    int requests = 100_000;
    int clients = 8;
    double[] cdf = new double[keys];
    double sum = 0;
    for (int k = 0; k < keys; k++) {
      sum += 1 / Math.pow(k + 1, 0.9);
      cdf[k] = sum;
    }
    for (int k = 0; k < keys; k++) {
      cdf[k] /= sum;
    }
    for (int minUses : new int[] {1, 2}) {
      AtomicLong hits = new AtomicLong();
      AtomicLong stored = new AtomicLong();
      int before = server.calls.get();
      long started = System.nanoTime();
      try (EdgeProcess edge = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url(),
          "--param", "capacity-bytes=" + (16 << 20), "--param", "min-uses=" + minUses)) {
        inParallel(clients, "a Zipf client", c -> {
          java.util.Random random = new java.util.Random(16_000 + c);
          try (RawHttpClient client = new RawHttpClient(edge.port())) {
            for (int i = 0; i < requests / clients; i++) {
              int k = Arrays.binarySearch(cdf, random.nextDouble());
              k = k < 0 ? -k - 1 : k;
              RawHttpClient.Response r = client.get("/plain/4k?key=" + k, BenchServer::check);
              String status = r.fields().getOrDefault("cache-status", "");
              if (status.startsWith("edgecache; hit")) {
                hits.incrementAndGet();
              } else if (status.contains("; stored")) {
                stored.incrementAndGet();
              }
            }
          }
        });
      }
      int originCalls = server.calls.get() - before;
      row("16 admission", "min-uses=" + minUses + ": 100,000 requests, 50,000 URLs of 4 KiB (Zipf 0.9), 16 MiB store;"
          + " hit ratio, origin requests, objects written to the store, seconds",
          "%.1f %%, %,d, %,d, %.0f s".formatted(100.0 * hits.get() / requests, originCalls, stored.get(),
              (System.nanoTime() - started) / 1e9));
    }
  }

  /** A {@link #burst} on {@code target}, a cold URL of the origin's 500 ms page, and its origin calls. */
  private static Collapse collapse(BenchServer server, int port, String target, int clients) throws Exception {
    return collapse(server, new int[] {port}, target, clients);
  }

  /** As {@link #collapse(BenchServer, int, String, int)}, the clients spread over {@code ports}. */
  private static Collapse collapse(BenchServer server, int[] ports, String target, int clients) throws Exception {
    int before = server.slowCalls.get();
    long[] micros = burst(ports, target, clients);
    return new Collapse(server.slowCalls.get() - before, micros[clients / 2] / 1000,
        micros[clients * 99 / 100] / 1000, micros[clients - 1] / 1000);
  }

  /**
   * {@code clients} clients, each on a connection of its own opened beforehand (spread over
   * {@code ports} in turn), send one GET of
   * {@code target} (a 4 KiB body of the pattern) at once; their latencies, from each client's
   * send to its last byte, sorted.
   */
  private static long[] burst(int[] ports, String target, int clients) throws Exception {
    long setup = System.nanoTime();
    List<RawHttpClient> connections = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connections.add(new RawHttpClient(ports[i % ports.length], 8192));
    }
    long[] micros = new long[clients];
    long[] started = new long[1];
    java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int n = i;
      Thread t = new Thread(null, () -> {
        try (RawHttpClient c = connections.get(n)) {
          go.await();
          RawHttpClient.Response r = c.get(target, BenchServer::check);
          if (r.status() != 200 || r.bodyBytes() != 4096) {
            throw new IllegalStateException("status " + r.status() + ", " + r.bodyBytes() + " bytes");
          }
          micros[n] = r.totalMicros();
        } catch (Throwable e) {
          failures.incrementAndGet();
          failure.compareAndSet(null, new IllegalStateException("client " + n + " of " + clients + ", "
              + (System.nanoTime() - started[0]) / 1_000_000 + " ms after the start", e));
        }
      }, "client-" + i, 256 * 1024);
      t.start();
      threads.add(t);
    }
    started[0] = System.nanoTime();
    System.out.printf("%,d clients connected and ready in %d ms%n", clients, (started[0] - setup) / 1_000_000);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failures.get() + " clients failed", failure.get());
    }
    Arrays.sort(micros);
    return micros;
  }

  /**
   * (6) The collapse of (3) through the runnable edge (its default thread pool) and through
   * Varnish, both in front of the same origin: rounds alternate, and each side's median round
   * is reported; then 10,000 clients at once through the edge, with the most heap it used.
   */
  private static void collapseAgainstVarnish(BenchServer server) throws Exception {
    int rounds = 5;
    Path dir = Files.createTempDirectory("edgecache-collapse");
    Path gcLog = dir.resolve("gc.log");
    List<Collapse> edgeRounds = new ArrayList<>();
    List<Collapse> varnishRounds = new ArrayList<>();
    try (EdgeProcess edge = new EdgeProcess(List.of("-Xmx512m", "-Xlog:gc:file=" + gcLog), "--origin", server.url());
        VarnishProcess varnish = new VarnishProcess(server.port(), dir.resolve("varnish"))) {
      // warm-up: the edge's JVM starts cold
      collapse(server, edge.port(), "/plain/slow?warm=" + System.nanoTime(), 1000);
      collapse(server, varnish.port(), "/plain/slow?warm=" + System.nanoTime(), 1000);
      for (int i = 0; i < rounds; i++) {
        edgeRounds.add(collapse(server, edge.port(), "/plain/slow?run=" + System.nanoTime(), 1000));
        varnishRounds.add(collapse(server, varnish.port(), "/plain/slow?run=" + System.nanoTime(), 1000));
      }
      Collapse e = medianByP99(edgeRounds);
      Collapse v = medianByP99(varnishRounds);
      row("6 collapse", "origin requests per 1,000 concurrent cold requests (every round): edge / Varnish",
          "**%s** / %s".formatted(originCalls(edgeRounds), originCalls(varnishRounds)));
      row("6 collapse", "client latency p50 / p99 / max, origin 500 ms, median round by p99: edge",
          "**" + e.latencies() + "**");
      row("6 collapse", "the same: Varnish 7.1 (Debian, builtin VCL, `-s malloc,256m`)", v.latencies());
      Collapse big = collapse(server, edge.port(), "/plain/slow?run=" + System.nanoTime(), 10_000);
      row("6 collapse", "10,000 concurrent cold requests through the edge: origin requests; p50 / p99 / max",
          "**" + big.originCalls() + "**; " + big.latencies());
    }
    row("6 collapse", "edge heap over all of run 6: most in use at any GC / limit",
        "%d MiB / 512 MiB".formatted(peakHeapMb(gcLog)));
    deleteTree(dir);
  }

  /**
   * (7) A client that requests a 12 MiB object through the edge and then reads nothing (a 4 KiB
   * receive window) owns the fill; four other clients download the same object meanwhile. Their
   * time against one download of the object from the origin directly (median of 5 rounds each).
   */
  private static void stalledOwner(BenchServer server) throws Exception {
    int rounds = 5;
    long size = 12L << 20;
    long[] others = new long[rounds];
    long[] direct = new long[rounds];
    try (EdgeProcess edge = new EdgeProcess(List.of("-Xmx512m"), "--origin", server.url())) {
      for (int i = -1; i < rounds; i++) { // one round of warm-up
        String target = "/plain/12m?stalled=" + System.nanoTime();
        try (java.net.Socket stalled = new java.net.Socket()) {
          stalled.setReceiveBufferSize(4096);
          stalled.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), edge.port()));
          stalled.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: bench.example\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          stalled.getOutputStream().flush();
          Thread.sleep(100); // the stalled client owns the fill
          long[] slowest = new long[1];
          inParallel(4, "a download", c -> {
            try (RawHttpClient client = new RawHttpClient(edge.port())) {
              RawHttpClient.Response r = client.get(target, BenchServer::check);
              if (r.bodyBytes() != size) {
                throw new IllegalStateException(r.bodyBytes() + " bytes");
              }
              synchronized (slowest) {
                slowest[0] = Math.max(slowest[0], r.totalMicros());
              }
            }
          });
          try (RawHttpClient alone = new RawHttpClient(server.port())) {
            long took = alone.get("/plain/12m", BenchServer::check).totalMicros();
            if (i >= 0) {
              others[i] = slowest[0];
              direct[i] = took;
            }
          }
        }
      }
    }
    Arrays.sort(others);
    Arrays.sort(direct);
    row("7 stalled owner", "12 MiB, the owner's client reads nothing: slowest of 4 other downloads through the edge / one download from the origin directly (medians of 5)",
        "%.1f / %.1f ms".formatted(others[rounds / 2] / 1000.0, direct[rounds / 2] / 1000.0));
  }

  /**
   * (8) Undertow with 16 worker threads (its default on two cores), the filter in front of a
   * servlet that answers a cold URL through {@code AsyncContext.start} after 500 ms, so that the
   * owner's task needs a worker of the same pool: 1,000 clients at once.
   */
  private static void undertowWaiters() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    jakarta.servlet.http.HttpServlet app = new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
        calls.incrementAndGet();
        jakarta.servlet.AsyncContext ac = req.startAsync(req, res);
        ac.start(() -> {
          try {
            Thread.sleep(500);
            jakarta.servlet.http.HttpServletResponse r = (jakarta.servlet.http.HttpServletResponse) ac.getResponse();
            r.setHeader("Cache-Control", "max-age=60");
            r.setContentLength(4096);
            byte[] body = new byte[4096];
            for (int i = 0; i < body.length; i++) {
              body[i] = (byte) i;
            }
            r.getOutputStream().write(body);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            ac.complete();
          }
        });
      }
    };
    io.undertow.servlet.api.DeploymentInfo info = io.undertow.servlet.Servlets.deployment()
        .setClassLoader(LoadBenchmarks.class.getClassLoader()).setContextPath("/").setDeploymentName("bench.war")
        .addServlet(io.undertow.servlet.Servlets.servlet("app", jakarta.servlet.http.HttpServlet.class,
            new io.undertow.servlet.util.ImmediateInstanceFactory<>(app)).addMapping("/*").setAsyncSupported(true))
        .addFilter(io.undertow.servlet.Servlets.filter("edge", dev.edgecache.servlet.EdgeCacheFilter.class).setAsyncSupported(true))
        .addFilterUrlMapping("edge", "/*", jakarta.servlet.DispatcherType.REQUEST)
        .addFilterUrlMapping("edge", "/*", jakarta.servlet.DispatcherType.ASYNC);
    io.undertow.servlet.api.DeploymentManager deployment = io.undertow.servlet.Servlets.defaultContainer().addDeployment(info);
    deployment.deploy();
    io.undertow.Undertow undertow = io.undertow.Undertow.builder().setWorkerThreads(16)
        .setSocketOption(org.xnio.Options.BACKLOG, 1024).addHttpListener(0, "127.0.0.1")
        .setHandler(deployment.start()).build();
    undertow.start();
    try {
      int port = ((java.net.InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      int clients = 1000;
      long[] micros = burst(new int[] {port}, "/cold", clients);
      row("8 Undertow", "16 worker threads, 1,000 concurrent cold requests for an AsyncContext.start servlet (500 ms): all answered; application calls; p50 / p99 / max",
          "**all 1,000; %d call**; %d / %d / %d ms".formatted(calls.get(), micros[clients / 2] / 1000,
              micros[clients * 99 / 100] / 1000, micros[clients - 1] / 1000));
    } finally {
      undertow.stop();
      deployment.stop();
      deployment.undeploy();
    }
  }

  private static String originCalls(List<Collapse> rounds) {
    return rounds.stream().map(c -> Integer.toString(c.originCalls())).reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static Collapse medianByP99(List<Collapse> rounds) {
    List<Collapse> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingLong(Collapse::p99Millis));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * (4) 2 GiB through an edge limited to a 256 MiB heap: the memory store with its large bodies
   * in files, then the Ehcache store's disk tier; and through Varnish with a file store, with the
   * same client. Each is asked twice on one connection: a miss stored as it streams, then a hit.
   */
  private static void largeObject(BenchServer server) throws Exception {
    long size = 2L << 30;
    Path dir = Files.createTempDirectory("edgecache-large");
    String maxObject = Long.toString((size >> 20) + 1);
    Path filesGc = dir.resolve("files-gc.log");
    largeThroughEdge(server, "4 2 GiB, body files", filesGc, "--origin", server.url(), "--store", "memory",
        "--disk-dir", dir.resolve("bodies").toString(), "--disk-mb", Long.toString(2 * (size >> 20)),
        "--max-object-mb", maxObject);
    Path ehcacheGc = dir.resolve("ehcache-gc.log");
    Path xml = dir.resolve("ehcache.xml");
    // the disk tier at twice the object (see the Ehcache store's notes on segments)
    DiskTierXml.write(xml, dir.resolve("disk"), 2 * (size >> 20) + 1024);
    largeThroughEdge(server, "4 2 GiB, Ehcache disk", ehcacheGc, "--origin", server.url(), "--store", "ehcache",
        "--ehcache-config", xml.toString(), "--max-object-mb", maxObject);
    try (VarnishProcess varnish = new VarnishProcess(server.port(), dir.resolve("varnish"),
        "file," + dir.resolve("varnish.bin") + "," + (3 * (size >> 20)) + "M")) {
      largeTransfer(server, "4 2 GiB, Varnish", varnish.port(), size);
    }
    row("4 2 GiB", "edge heap: most in use at any GC / limit: body files; Ehcache disk",
        "%d MiB; %d MiB / 256 MiB".formatted(peakHeapMb(filesGc), peakHeapMb(ehcacheGc)));
    deleteTree(dir);
  }

  private static void largeThroughEdge(BenchServer server, String run, Path gcLog, String... args) throws Exception {
    try (EdgeProcess edge = new EdgeProcess(
        List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog), args)) {
      largeTransfer(server, run, edge.port(), 2L << 30);
    }
  }

  /** A miss then a hit of the 2 GiB object through the cache on {@code port}, both checked. */
  private static void largeTransfer(BenchServer server, String run, int port, long size) throws Exception {
    int before = server.calls.get();
    String target = "/plain/2g?run=" + System.nanoTime();
    try (RawHttpClient c = new RawHttpClient(port)) {
      RawHttpClient.Response miss = c.get(target, BenchServer::check);
      RawHttpClient.Response hit = c.get(target, BenchServer::check);
      int originCalls = server.calls.get() - before;
      if (miss.bodyBytes() != size || hit.bodyBytes() != size || originCalls != 1) {
        throw new IllegalStateException(run + ": not served whole and then from the cache: " + miss + " " + hit
            + ", " + originCalls + " origin requests");
      }
      row(run, "miss (stored while streamed) / hit, whole and checked; origin requests",
          "%.1f s (**%,.0f MB/s**) / %.1f s (**%,.0f MB/s**); %d".formatted(miss.totalMicros() / 1e6,
              size / (double) miss.totalMicros(), hit.totalMicros() / 1e6, size / (double) hit.totalMicros(),
              originCalls));
    }
  }

  /** (5) A 10 MiB miss through the filter (stored while streamed) against the servlet alone. */
  private static void missOverhead(BenchServer server) throws Exception {
    int warm = 5;
    int measured = 21;
    long[][] cached = new long[2][measured];
    long[][] plain = new long[2][measured];
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      // A server that fills all day has compiled its miss path; 26 misses leave most of it to
      // the interpreter, which cost the first byte about a millisecond. Small misses on new URLs
      // warm that path first, on both sides.
      for (int i = 0; i < WARM_MISSES; i++) {
        c.get("/cached/4k?warm=" + i + "-" + System.nanoTime(), BenchServer::check);
        c.get("/plain/4k?warm=" + i, BenchServer::check);
      }
      for (int i = -warm; i < measured; i++) {
        // each a new URL, so each is a miss; the two sides alternate
        RawHttpClient.Response viaFilter = c.get("/cached/10m?i=" + i + "-" + System.nanoTime(), BenchServer::check);
        RawHttpClient.Response alone = c.get("/plain/10m?i=" + i, BenchServer::check);
        if (!viaFilter.fields().getOrDefault("cache-status", "").contains("stored") || alone.bodyBytes() != 10 << 20
            || viaFilter.bodyBytes() != 10 << 20) {
          throw new IllegalStateException("not a stored miss of 10 MiB: " + viaFilter);
        }
        if (i >= 0) {
          cached[0][i] = viaFilter.firstByteMicros();
          cached[1][i] = viaFilter.totalMicros();
          plain[0][i] = alone.firstByteMicros();
          plain[1][i] = alone.totalMicros();
        }
      }
    }
    long cf = median(cached[0]);
    long pf = median(plain[0]);
    long ct = median(cached[1]);
    long pt = median(plain[1]);
    row("5 miss", "10 MiB miss, first byte: filter / servlet alone (median of 21)",
        "%.2f / %.2f ms (+%.2f ms)".formatted(cf / 1e3, pf / 1e3, (cf - pf) / 1e3));
    row("5 miss", "10 MiB miss, whole body: filter / servlet alone (median of 21)",
        "%.1f / %.1f ms = **%.2f**".formatted(ct / 1e3, pt / 1e3, (double) ct / pt));
  }

  private static String ratios(double[] r) {
    return "%,.0f / %,.0f; **%.2f** (%.2f to %.2f)".formatted(r[0], r[1], r[2], r[3], r[4]);
  }

  /** Requests once, so that the object is stored before a hit run. */
  private static void prime(int port, String target) throws IOException {
    try (RawHttpClient c = new RawHttpClient(port)) {
      c.get(target, BenchServer::check);
      RawHttpClient.Response r = c.get(target, BenchServer::check);
      if (!r.fields().getOrDefault("cache-status", "").contains("hit")) {
        throw new IllegalStateException(target + " is not a hit after one request: " + r.fields());
      }
    }
  }

  /**
   * Requests per second on two targets, in alternating rounds after a warm-up of each: each side's
   * median, and the median of the rounds' ratios (each ratio from two runs back to back, so that
   * drift in the machine's speed weighs on both of its sides).
   */
  private static double[] compare(int portA, String targetA, int portB, String targetB, double warmUpSeconds)
      throws Exception {
    return compare(portA, targetA, "", portB, targetB, "", warmUpSeconds);
  }

  private static double[] compare(int portA, String targetA, String fieldsA, int portB, String targetB,
      String fieldsB, double warmUpSeconds) throws Exception {
    throughput(portA, targetA, fieldsA, warmUpSeconds);
    throughput(portB, targetB, fieldsB, warmUpSeconds);
    double[] a = new double[ROUNDS];
    double[] b = new double[ROUNDS];
    double[] ratios = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      a[i] = throughput(portA, targetA, fieldsA, ROUND_SECONDS);
      b[i] = throughput(portB, targetB, fieldsB, ROUND_SECONDS);
      ratios[i] = a[i] / b[i];
      System.out.printf(Locale.ROOT, "  round %d: %,.0f vs %,.0f requests/s (%.2f)%n", i + 1, a[i], b[i], ratios[i]);
    }
    Arrays.sort(a);
    Arrays.sort(b);
    Arrays.sort(ratios);
    return new double[] {a[ROUNDS / 2], b[ROUNDS / 2], ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1]};
  }

  /** {@link #CONNECTIONS} keep-alive connections, each on its own thread, for so many seconds. */
  private static double throughput(int port, String target, double seconds) throws Exception {
    return throughput(port, target, "", seconds);
  }

  /**
   * As {@link #throughput(int, String, double)}, each request with {@code fields}; a request that
   * asks for a coding has its body's length unchecked (it is the coded length).
   */
  private static double throughput(int port, String target, String fields, double seconds) throws Exception {
    long length = fields.contains("Accept-Encoding") ? -1
        : BenchServer.length(target.substring(target.lastIndexOf('/') + 1));
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    inParallel(CONNECTIONS, "a load connection", i -> {
      try (RawHttpClient c = new RawHttpClient(port)) {
        long n = 0;
        while (System.nanoTime() < end) {
          RawHttpClient.Response r = c.get(target, null, fields);
          if (r.status() != 200 || (length >= 0 && r.bodyBytes() != length)) {
            throw new IllegalStateException("status " + r.status() + ", " + r.bodyBytes() + " bytes");
          }
          n++;
        }
        done.addAndGet(n);
      }
    });
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** The highest heap occupancy before any collection in a JDK unified GC log ({@code 123M->45M(256M)}). */
  private static long peakHeapMb(Path gcLog) throws IOException {
    Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
    long peak = 0;
    while (m.find()) {
      peak = Math.max(peak, Long.parseLong(m.group(1)));
    }
    return peak;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  private static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    return "machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap for the load JVM, Java "
        + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }
}
