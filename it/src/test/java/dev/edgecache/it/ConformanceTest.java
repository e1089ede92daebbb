package dev.edgecache.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP caching conformance suite (cache-tests.fyi's) against the runnable edge in front of the
 * suite's own origin, graded as {@code conformance/summarize.mjs} grades it: no figure may fall
 * below {@code conformance/floor.properties}. Needs Node.js 18 or later and the npm registry (the
 * suite's dependencies are installed in a scratch copy under {@code target}).
 */
class ConformanceTest {
  private static final Pattern REQUIRED = Pattern.compile("required: (\\d+) pass");
  private static final Pattern OPTIMAL = Pattern.compile("optimal: +(\\d+) pass");
  private static final Pattern CDN_ONLY = Pattern.compile("cdn_only tests \\([^)]*\\): (\\d+) passed");

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES) // the suite takes about a minute; npm install first
  void theSuiteGivesAtLeastTheFloor() throws Exception {
    File dir = new File(System.getProperty("conformance.dir", "../conformance")).getCanonicalFile();
    File worktree = new File(System.getProperty("conformance.worktree", "target/cache-tests-wt"));
    Properties floor = new Properties();
    try (Reader in = new FileReader(new File(dir, "floor.properties"), StandardCharsets.UTF_8)) {
      floor.load(in);
    }
    requireNode();
    File results = new File("target/conformance-results.json").getAbsoluteFile();
    int originPort = freePort();
    String summary;
    try (EdgeProcess edge = new EdgeProcess("--origin", "http://127.0.0.1:" + originPort)) {
      summary = run(worktree, List.of("bash", new File(dir, "run.sh").getPath(), "-p", Integer.toString(originPort),
          edge.url(), results.getPath()), 900);
    }
    String grades = run(worktree, List.of("node", new File(dir, "summarize.mjs").getPath(), "--suite",
        worktree.getAbsolutePath(), "--json", results.getPath()), 60);
    String report = summary + "\ntests that failed or could not run: " + notPassed(grades)
        + "\n(details: " + results + ")";
    check(summary, REQUIRED, floor, "required", report);
    check(summary, OPTIMAL, floor, "optimal", report);
    check(summary, CDN_ONLY, floor, "cdn_only", report);
  }

  private static void check(String summary, Pattern figure, Properties floor, String name, String report) {
    Matcher m = figure.matcher(summary);
    assertTrue(m.find(), "the suite printed no " + name + " figure:\n" + report);
    int got = Integer.parseInt(m.group(1));
    int least = Integer.parseInt(floor.getProperty(name).trim());
    assertTrue(got >= least, name + ": " + got + " passed, the floor is " + least + "\n" + report);
  }

  /** The ids of tests that failed or could not run, from summarize.mjs's JSON. */
  private static List<String> notPassed(String gradesJson) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]+)\": \"(fail|setup|dependency|retry|harness)\"").matcher(gradesJson);
    while (m.find()) {
      out.add(m.group(1) + " (" + m.group(2) + ")");
    }
    return out;
  }

  private static String run(File cwdHint, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    File out = File.createTempFile("conformance", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
    pb.environment().put("CT_WORKTREE", cwdHint.getAbsolutePath());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not end within " + timeoutSeconds + " s:\n" + Files.readString(out.toPath()));
    }
    String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail(command + " failed with status " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  private static void requireNode() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version);
      if (!m.find() || Integer.parseInt(m.group(1)) < 18) {
        fail("the conformance suite needs Node.js 18 or later, found " + version + ": install it (apt-get install nodejs npm)");
      }
    } catch (IOException e) {
      fail("the conformance suite needs Node.js 18 or later and npm: install them (apt-get install nodejs npm)");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
