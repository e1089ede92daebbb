package dev.edgecache.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample's status page at {@code /_edge/}, in headless Chromium (Debian's {@code chromium},
 * or the browser {@code CHROMIUM} names): it loads, shows the figures only with the token, its
 * numbers follow the requests, and its screenshot has the figures and the chart on it.
 */
class StatusPageTest {
  private static final String TOKEN = "status-page-token-0123456789";
  private static EdgeProcess edge;
  private static Path profiles;

  @BeforeAll
  static void start() throws Exception {
    edge = new EdgeProcess("--admin-token", TOKEN);
    profiles = Files.createTempDirectory("chromium-profiles");
  }

  @AfterAll
  static void stop() throws IOException {
    if (edge != null) {
      edge.close();
    }
    if (profiles != null) {
      try (var walk = Files.walk(profiles)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** The browser: {@code CHROMIUM}, else Debian's; a missing browser fails the test and says how to get one. */
  private static String chromium() {
    String given = System.getenv("CHROMIUM");
    if (given != null && !given.isEmpty()) {
      return given;
    }
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    fail("no Chromium: install Debian's (apt-get install chromium) or set CHROMIUM to a Chrome or Chromium binary");
    return null;
  }

  /** Runs headless Chromium on {@code url}, letting the page's scripts run, with {@code what} (--dump-dom, --screenshot=...). */
  private static String browse(String url, String what) throws Exception {
    Path profile = Files.createTempDirectory(profiles, "p");
    List<String> command = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=1200,900", "--virtual-time-budget=5000",
        what, url));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Chromium did not finish");
    assertEquals(0, p.exitValue(), "Chromium failed");
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String page(String fragment) throws Exception {
    return browse(edge.url() + "/_edge/" + fragment, "--dump-dom");
  }

  /** The text of the element with {@code id} in a dumped DOM. */
  private static String figure(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
    assertTrue(m.find(), "no #" + id + " in the page:\n" + dom);
    return m.group(1);
  }

  private static boolean shown(String dom, String id) {
    Matcher m = Pattern.compile("<[a-z]+ id=\"" + Pattern.quote(id) + "\"([^>]*)>").matcher(dom);
    assertTrue(m.find(), "no #" + id);
    return !m.group(1).contains("hidden");
  }

  @Test
  void theFiguresFollowTheRequestsAndTheScreenshotShowsThem() throws Exception {
    String before = page("#token=" + TOKEN);
    assertTrue(shown(before, "figures"), before);
    assertFalse(shown(before, "login"));
    int requests = Integer.parseInt(figure(before, "requests").replace(",", ""));
    assertEquals("memory up", figure(before, "store-state"));

    for (int i = 0; i < 3; i++) {
      given().baseUri(edge.url()).get("/pages/status-" + i).then().statusCode(200);
      given().baseUri(edge.url()).get("/pages/status-" + i).then().statusCode(200);
    }
    given().baseUri(edge.url()).header("Authorization", "Bearer " + TOKEN).param("tag", "no-such-tag")
        .post("/_edge/purge").then().statusCode(200);
    String after = page("#token=" + TOKEN);
    assertEquals(requests + 6, Integer.parseInt(figure(after, "requests").replace(",", "")),
        "the page counts the six requests");
    assertTrue(figure(after, "hit-ratio").endsWith(" %"), figure(after, "hit-ratio"));
    double hits = Double.parseDouble(figure(after, "hit-ratio").replace(" %", ""));
    double served = Double.parseDouble(figure(after, "cache-ratio").replace(" %", ""));
    assertTrue(served >= hits, "served from cache counts hits and more: " + served + " < " + hits);
    assertTrue(Integer.parseInt(figure(after, "objects")) >= 3, figure(after, "objects"));
    assertTrue(figure(after, "store-fill").endsWith(" %"), figure(after, "store-fill"));
    assertTrue(figure(after, "bytes-stored").contains(" of "), "fill against capacity: " + figure(after, "bytes-stored"));
    assertEquals("0", figure(after, "evictions"));
    assertEquals("1", figure(after, "purges"));
    assertTrue(figure(after, "last-purge").matches("last: tag, \\d+ s ago"), figure(after, "last-purge"));
    assertEquals("origin ok", figure(after, "origin-state"));
    assertEquals("0", figure(after, "origin-errors"));
    assertTrue(figure(after, "uptime").matches("\\d+ (s|min)"), figure(after, "uptime"));
    assertTrue(figure(after, "version").matches("version \\d+\\.\\d+\\.\\d+.*"), figure(after, "version"));
    assertTrue(Integer.parseInt(figure(after, "y-max").replace(",", "")) >= 1, "the chart has a y-axis: " + figure(after, "y-max"));
    assertFalse(figure(after, "bytes-cache").equals(figure(before, "bytes-cache")), "bytes from the cache moved");
    assertEquals("edgecache-sample", figure(after, "cache-name"));
    assertTrue(after.contains("<rect"), "the chart has bars");

    Path shot = Path.of("target", "status-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    browse(edge.url() + "/_edge/#token=" + TOKEN, "--screenshot=" + shot);
    BufferedImage image = ImageIO.read(shot.toFile());
    assertNotNull(image, "Chromium wrote no PNG");
    assertEquals(1200, image.getWidth());
    int dark = 0;
    int hitBlue = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r + g + b < 200) {
          dark++; // text
        }
        if (Math.abs(r - 0x00) < 24 && Math.abs(g - 0x72) < 24 && Math.abs(b - 0xb2) < 24) {
          hitBlue++; // the hits' bars, legend and the badges (a blue any colour vision tells apart)
        }
      }
    }
    assertTrue(dark > 5_000, "too little text on the screenshot: " + dark + " dark pixels (" + shot + ")");
    assertTrue(hitBlue > 500, "no hits on the chart: " + hitBlue + " blue pixels (" + shot + ")");
  }

  @Test
  void withoutTheTokenThePageShowsNoFigureAndAsksForIt() throws Exception {
    String anonymous = page("");
    assertTrue(shown(anonymous, "login"), anonymous);
    assertFalse(shown(anonymous, "figures"));
    assertEquals("-", figure(anonymous, "requests"), "no figure without the token");

    String wrong = page("#token=not-the-token-at-all");
    assertTrue(shown(wrong, "login"));
    assertEquals("that token is not the admin token", figure(wrong, "error"));
    assertEquals("-", figure(wrong, "requests"));

    // the page itself is public and static; its figures are behind the token
    given().baseUri(edge.url()).get("/_edge/").then().statusCode(200)
        .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("connect-src 'self'"))
        .header("Cache-Control", "no-store");
    given().baseUri(edge.url()).get("/_edge/stats").then().statusCode(401);
  }
}
