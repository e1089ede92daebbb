package dev.edgecache.it.containers;

import static dev.edgecache.testing.CacheStatusField.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgecache.it.containers.MatrixCell.Answer;
import dev.edgecache.it.containers.MatrixCell.Mapping;
import dev.edgecache.it.containers.MatrixCell.Method;
import dev.edgecache.it.containers.MatrixCell.Who;
import dev.edgecache.it.containers.MatrixClient.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call-order matrix: every way an application writes a response (writer or stream, flushed
 * or not, small or larger than every buffer, its length declared or not), when it writes it (on
 * the request's thread, on its own thread, on {@code AsyncContext.start}, after a dispatch), what
 * it answers (cacheable, private, revalidated with a 304, an error page, a redirect, a reset, a
 * failure halfway), how the filter is mapped (REQUEST, or REQUEST and ASYNC) and who asks (one
 * client, four at once, one that leaves after the first byte; taking no coding, gzip, or br, which
 * the cache then encodes itself as it stores), by GET or HEAD.
 *
 * <p>The cells are every pair of values of any two dimensions ({@link Pairwise}), or with
 * {@code -Dmatrix.full=true} the whole product. For every cell:
 *
 * <ul>
 *   <li>each client gets exactly the bytes of the application call it names ({@code X-Call}),
 *       whole, once decoded from a coding it asked for; a failure halfway never looks whole;
 *   <li>{@code Cache-Status} tells the truth: {@code stored} only for what later requests hit,
 *       {@code hit} only with the first call's bytes, never either for what may not be stored;
 *   <li>what may be stored is stored, and the application is called once for all the clients of
 *       one collapse;
 *   <li>nothing is logged as a warning, and (see {@link ContainerSpec}) no thread is left behind.
 * </ul>
 *
 * <p>A waiter that joined a fill whose application then fails or resets its response (the bytes
 * it followed taken back) is answered 502 ({@code fill failed}) if none of them had left, else
 * broken off, as the fill's own failure is: never given a body that looks whole.
 *
 * <p>One thing is out of the filter's reach, and the filter says so in its log: with the filter
 * mapped for REQUEST only (a misconfiguration), an application's own {@code dispatch()} runs the
 * rest of the response outside the filter, so a revalidation answered there reaches the client
 * as the origin's 304 (Jetty completes the response before any listener could change it).
 *
 * <p>All failing cells are reported together, each with what its clients got.
 */
abstract class CallOrderMatrix {
  /** Clients that ask at once in a collapsed cell. */
  private static final int CROWD = 4;

  /**
   * Whether all that went wrong in {@code cell} is a defect of the container itself, which the
   * container shows without the filter too: the matrix then says so and goes on. None by default;
   * a container that has one says exactly which cells, clients' outcomes and reports it makes.
   */
  boolean containerDefect(MatrixCell cell, List<String> problems, List<String> reports) {
    return false;
  }

  /** The container this run of the matrix is on. */
  abstract EmbeddedContainer.Kind kind();

  /** Whether this container runs the whole product when asked ({@code -Dmatrix.full=true}). */
  boolean runsFullProduct() {
    return false;
  }

  /** The cells: every pair, or the whole product; {@code -Dmatrix.only=TEXT} keeps those whose name holds it. */
  List<MatrixCell> cells() {
    boolean full = runsFullProduct() && Boolean.getBoolean("matrix.full");
    List<List<Enum<?>>> rows = full ? Pairwise.all(MatrixCell.dimensions(), MatrixCell::valid)
        : Pairwise.cover(MatrixCell.dimensions(), MatrixCell::valid);
    String only = System.getProperty("matrix.only", "");
    return rows.stream().map(MatrixCell::of).filter(c -> c.toString().contains(only)).toList();
  }

  @ParameterizedTest(name = "filter mapped for {0}")
  @EnumSource(Mapping.class)
  void everyCellGivesEachClientTheBytesWrittenAndTellsTheTruth(Mapping mapping) {
    List<MatrixCell> cells = cells().stream().filter(c -> c.mapping() == mapping).toList();
    // a container whose threads got stuck fails its run instead of holding up the build
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60 + cells.size() * 5L), () -> run(mapping, cells));
  }

  private void run(Mapping mapping, List<MatrixCell> cells) throws Exception {
    MatrixApp app = new MatrixApp();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    int done = 0;
    try (LogWatch log = new LogWatch();
        EmbeddedContainer container = kind().start(new EmbeddedContainer.Deployment(app,
            Map.of("lock-timeout-ms", "3000"), true, mapping == Mapping.REQUEST_ASYNC))) {
      ExecutorService crowd = Executors.newFixedThreadPool(CROWD);
      int logged = 0;
      try {
        for (MatrixCell cell : cells) {
          long cellStarted = System.nanoTime();
          List<String> problems = new CellRun(cell, container.port(), app, crowd).run();
          List<String> lines = log.lines();
          List<String> reports = unexpected(mapping, lines.subList(logged, lines.size()));
          logged = lines.size();
          if ((!problems.isEmpty() || !reports.isEmpty()) && containerDefect(cell, problems, reports)) {
            System.out.println("call-order matrix: " + cell + " met a defect of the container's own, not the"
                + " filter's: " + problems + " " + reports);
            problems = List.of();
            reports = List.of();
          }
          if (!reports.isEmpty()) {
            // a report may come a little after its cell's answers: named with the cell it came in
            failures.add("logged during " + cell + " (or just after the cell before it): " + reports);
          }
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cellStarted);
          if (millis > 2000) {
            System.out.println("call-order matrix: slow cell " + cell + ", " + millis + " ms");
          }
          if (++done % 500 == 0) {
            System.out.printf("call-order matrix on %s, %s: %d of %d cells in %d s%n", getClass().getSimpleName(),
                mapping, done, cells.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
          }
          if (!problems.isEmpty()) {
            failures.add(cell + ": " + String.join("; ", problems));
          }
        }
      } finally {
        crowd.shutdownNow();
      }
      List<String> lines = log.lines();
      List<String> late = unexpected(mapping, lines.subList(logged, lines.size()));
      if (!late.isEmpty()) {
        failures.add("logged after the last cell: " + late);
      }
    }
    System.out.printf("call-order matrix on %s, %s: %d cells in %d ms%n", getClass().getSimpleName(), mapping,
        cells.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    List<String> left = threadsLeft();
    if (!left.isEmpty()) {
      failures.add("threads of the cache left after the container stopped: " + left);
    }
    assertEquals(List.of(), failures, failures.size() + " of " + cells.size() + " cells failed");
  }

  /** The reports among {@code lines} that no cell should cause. */
  private static List<String> unexpected(Mapping mapping, List<String> lines) {
    // with the filter mapped for REQUEST only, the filter says so once: that is its warning's job
    return lines.stream()
        .filter(w -> !(mapping == Mapping.REQUEST && w.contains("is not mapped for ASYNC dispatches"))).toList();
  }

  /** The cache's threads still alive after the container stopped, each given 5 s to end. */
  private static List<String> threadsLeft() throws InterruptedException {
    List<Thread> cache = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("edgecache")).toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread t : cache) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    return cache.stream().filter(Thread::isAlive).map(Thread::getName).toList();
  }

  /** One cell's requests and what they must show. */
  private static final class CellRun {
    private final MatrixCell cell;
    private final int port;
    private final MatrixApp app;
    private final ExecutorService crowd;
    private final List<String> problems = new ArrayList<>();
    /** Requests that reached, or may have reached, the application. */
    private int asked;

    CellRun(MatrixCell cell, int port, MatrixApp app, ExecutorService crowd) {
      this.cell = cell;
      this.port = port;
      this.app = app;
      this.crowd = crowd;
    }

    List<String> run() throws Exception {
      List<Reply> first = new ArrayList<>();
      switch (cell.who()) {
        case ONE -> first.add(ask());
        case COLLAPSED -> {
          // the first client's call is held in the application until the others are on the wire
          MatrixApp.Hold hold = app.holdFirstCall(cell);
          List<Future<Reply>> replies = new ArrayList<>();
          replies.add(crowd.submit(() -> ask(() -> { })));
          hold.arrived().await(20, TimeUnit.SECONDS);
          CountDownLatch sent = new CountDownLatch(CROWD - 1);
          for (int i = 1; i < CROWD; i++) {
            replies.add(crowd.submit(() -> ask(sent::countDown)));
          }
          sent.await(20, TimeUnit.SECONDS);
          hold.release().countDown();
          for (Future<Reply> r : replies) {
            first.add(r.get(30, TimeUnit.SECONDS));
          }
        }
        case LEAVES -> {
          asked++;
          MatrixClient.leave(port, cell.method().name(), cell.path(), cell.coding().fields());
        }
      }
      for (Reply r : first) {
        check(r, "first");
      }
      Reply settled = settled();
      if (cell.stored()) {
        int callsBefore = app.calls(cell);
        Reply again = ask();
        check(again, "again");
        if (cell.answer() == Answer.CACHEABLE && !again.cacheStatus().startsWith("edgecache; hit")) {
          problems.add("stored, but the next request was not a hit: " + again);
        }
        if (cell.answer() == Answer.CACHEABLE && app.calls(cell) != callsBefore) {
          problems.add("a hit called the application");
        }
        if (cell.who() == Who.COLLAPSED && cell.answer() == Answer.CACHEABLE && app.calls(cell) != 1) {
          problems.add("one collapse, " + app.calls(cell) + " application calls: " + first);
        }
      } else {
        Reply again = ask();
        check(again, "again");
        // a response never stored sends every client to the application, but for the waiters of
        // a fill that failed or was reset midway: they followed its bytes, and are broken off with it
        // (a fill that died outside the filter is joined by the next request too, till it is seen)
        boolean waitersFollowed = cell.takesBack() && (cell.who() == Who.COLLAPSED || cell.outsideTheFilter());
        if (app.calls(cell) != asked && cell.who() != Who.LEAVES && !waitersFollowed) {
          problems.add(asked + " requests of a response never stored, " + app.calls(cell) + " application calls");
        }
      }
      if (settled != null) {
        check(settled, "settled", Method.GET);
      }
      return problems;
    }

    private Reply ask() {
      return ask(() -> { });
    }

    private Reply ask(Runnable sent) {
      synchronized (this) {
        asked++;
      }
      return MatrixClient.ask(port, cell.method().name(), cell.path(), sent, cell.coding().fields());
    }

    /**
     * For a stored cell, a GET once the fill has ended: the object whole from the cache (an
     * async fill may end just after its client has the response). Null for other cells.
     */
    private Reply settled() {
      if (!cell.stored()) {
        return null;
      }
      Reply r = null;
      // An async fill may end just after its client has the response: a GET then joins the fill
      // (collapsed) and returns once it has ended, or fills the object afresh (its first fill was
      // not stored: its client left), so a GET after those finds the object. No waiting for time.
      for (int i = 0; i < 4; i++) {
        asked++;
        r = MatrixClient.ask(port, "GET", cell.path(), cell.coding().fields());
        String s = r.cacheStatus();
        if (r.status() == 304 && cell.outsideTheFilter()) {
          return r; // the origin's own answer to the revalidation (see the class comment)
        }
        if (s.startsWith("edgecache; hit") || s.contains("fwd-status=304")) {
          // one fill serves every client only of an object fresh for them; the waiters of a
          // no-cache one go to the origin on their own, and each answer may be stored
          boolean oneFill = cell.answer() == Answer.CACHEABLE || cell.who() == Who.ONE;
          if (r.call() != 1 && oneFill) {
            problems.add("the stored object is not the first call's: " + r);
          }
          return r;
        }
      }
      problems.add("never served from the cache: " + r);
      return r;
    }

    /** What every response must show, whatever the cell. */
    private void check(Reply r, String which) {
      check(r, which, cell.method());
    }

    private void check(Reply r, String which, Method method) {
      String s = r.cacheStatus();
      if (cell.answer() == Answer.THROW) {
        // (a response the application failed on its own dispatch, outside the filter, is the container's)
        boolean containers = cell.outsideTheFilter();
        if (r.status() == 200 && r.whole() && !containers) {
          problems.add(which + ": a failure halfway looked whole: " + r);
        }
        // a response broken off says so by its broken connection, whatever its head said
        if (r.whole() && (names(s, "stored") || names(s, "hit"))) {
          problems.add(which + ": a failure said " + s + ": " + r);
        }
        return;
      }
      if (cell.takesBack() && r.status() == 502 && s.contains("fill failed") && r.whole()) {
        return; // a waiter that followed bytes taken back before any left: told so in a clean 502
      }
      if (!r.whole() || r.status() < 0) {
        // a waiter that followed bytes the application then took back is broken off with them
        if (!(cell.takesBack() && s.contains("collapsed"))) {
          problems.add(which + ": broken off: " + r);
        }
        return;
      }
      int expectedStatus = switch (cell.answer()) {
        case ERROR_PAGE -> 404;
        case REDIRECT -> 302;
        default -> 200;
      };
      if (r.status() == 304 && cell.outsideTheFilter() && cell.answer() == Answer.NOT_MODIFIED) {
        return; // the application's own dispatch answered a revalidation, and nothing passed the filter after it
      }
      if (r.status() != expectedStatus) {
        problems.add(which + ": status " + r);
      }
      if (!cell.stored() && (names(s, "stored") || names(s, "hit"))) {
        problems.add(which + ": said " + s + " of a response that may not be stored");
      }
      if (!cell.writesPage()) {
        return;
      }
      if (method == Method.HEAD) {
        if (r.body().length != 0) {
          problems.add(which + ": a HEAD got a body");
        }
        return;
      }
      byte[] expected = MatrixApp.page(cell, r.call());
      byte[] body = decoded(r, which);
      if (body != null && !Arrays.equals(expected, body)) {
        problems.add(which + ": not the bytes of call " + r.call() + ": " + r + " '"
            + new String(body, 0, Math.min(60, body.length), java.nio.charset.StandardCharsets.US_ASCII) + "'");
      }
    }

    /**
     * The body as the application wrote it: decoded from the coding the response names, which
     * must be one its client asked for; null (a problem noted) otherwise.
     */
    private byte[] decoded(Reply r, String which) {
      String coding = r.field("Content-Encoding");
      if (coding == null) {
        return r.body();
      }
      boolean asked = switch (cell.coding()) {
        case IDENTITY -> false;
        case GZIP -> coding.equals("gzip");
        case BR -> coding.equals("gzip") || coding.equals("br");
      };
      if (!asked) {
        problems.add(which + ": coded " + coding + " for a client that did not ask for it: " + r);
        return null;
      }
      try {
        if (coding.equals("gzip")) {
          try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            return in.readAllBytes();
          }
        }
        com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
        var d = com.aayushatharva.brotli4j.decoder.Decoder.decompress(r.body());
        if (d.getResultStatus() != com.aayushatharva.brotli4j.decoder.DecoderJNI.Status.DONE) {
          throw new java.io.IOException("a Brotli stream that does not end: " + d.getResultStatus());
        }
        return d.getDecompressedData();
      } catch (java.io.IOException e) {
        problems.add(which + ": a " + coding + " body that does not decode (" + e.getMessage() + "): " + r);
        return null;
      }
    }
  }
}
