package dev.edgecache.servlet.admin;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The status page at the admin path itself ({@code GET <admin-path>}, or {@code <admin-path>status}):
 * one HTML file from the filter's jar, its style and script inline, no asset from anywhere else.
 * It holds no figure. It takes the admin token from the address's fragment ({@code #token=...},
 * which browsers never send) or from a form, keeps it for the tab's session, and reads
 * {@code stats} with it every two seconds: the hit ratio, requests by outcome over the last ten
 * minutes as a chart, what the store holds, fills in flight and the store's state. Its policy
 * lets it reach nothing but this server.
 */
final class StatusPage {
  private static final byte[] HTML = load();
  private static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
      + " connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private StatusPage() {}

  /** Whether an admin action (the path after the admin path) names the page. */
  static boolean isItsPath(String action) {
    return action.isEmpty() || action.equals("status");
  }

  static void serve(HttpServletResponse res) throws IOException {
    res.setStatus(HttpServletResponse.SC_OK);
    res.setContentType("text/html; charset=utf-8");
    res.setHeader("Content-Security-Policy", POLICY);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setContentLength(HTML.length);
    res.getOutputStream().write(HTML);
  }

  private static byte[] load() {
    try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html is missing from the filter's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
