package dev.edgecache.servlet;

import dev.edgecache.CacheKey;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.PreloadLinks;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoredHead;
import dev.edgecache.http.VaryRule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code 103 Early Hints} from the cache (RFC 8297), as Cloudflare sends them: when a page the
 * cache stored carried {@code Link} fields with {@code rel=preload} or {@code preconnect}, a
 * later request for it that must wait for the origin (a miss, a revalidation) is sent those links
 * at once, so that the browser fetches the style sheets and scripts while the origin works.
 *
 * <p>Only for HTML pages (navigations), only for GET, never to an HTTP/1.0 client (RFC 9110
 * §15.2: no 1xx to it), and never for a page that varies on a request field other than its
 * coding: the links of one variant need not be another's. The links are remembered per URL, for
 * a bounded number of URLs, from the pages the cache stores, so that a page evicted or expired
 * still hints. Sent where the container writes an interim response for {@code sendError(103)}:
 * Jetty 12 and Tomcat 10.1 (told by the response's class, {@link ContainerResponses});
 * elsewhere nothing is sent.
 */
final class EarlyHints {
  private static final Logger LOG = Logger.getLogger(EarlyHints.class.getName());
  /** The most URLs whose links are remembered; the least recently used go first. */
  static final int MAX_URLS = 10_000;
  private static final int EARLY_HINTS = 103;

  private final Map<CacheKey, List<String>> links = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, List<String>> eldest) {
      return size() > MAX_URLS;
    }
  };

  /**
   * Notes the links of a page stored for {@code url} (its stored head and vary rule), or forgets
   * them if it has none that may be hinted.
   */
  void stored(CacheKey url, StoredHead head, List<String> varyRule) {
    List<String> hinted = hintable(head, varyRule) ? PreloadLinks.of(head.values("link")) : List.of();
    synchronized (links) {
      if (hinted.isEmpty()) {
        links.remove(url);
      } else {
        links.put(url, hinted);
      }
    }
  }

  /**
   * Sends the links remembered for {@code key}'s URL, if any, to a request about to wait for the
   * origin. The key is encoded only when some links are remembered at all.
   */
  void send(RequestKey key, HttpServletRequest req, HttpServletResponse res) {
    if (!"GET".equals(req.getMethod()) || "HTTP/1.0".equals(req.getProtocol()) || res.isCommitted()
        || !sendsInterim(res)) {
      return;
    }
    List<String> hinted;
    synchronized (links) {
      hinted = links.isEmpty() ? null : links.get(key.cacheKey());
    }
    if (hinted == null) {
      return;
    }
    try {
      // the fields are set for the interim response alone, and taken off again at once
      for (String link : hinted) {
        res.addHeader("Link", link);
      }
      res.sendError(EARLY_HINTS);
    } catch (IOException | IllegalStateException e) {
      LOG.log(Level.FINE, "no early hints could be sent", e);
    } finally {
      res.setHeader("Link", null);
    }
  }

  /** Whether a stored page's links may be hinted: an HTML page that varies on nothing but its coding. */
  private static boolean hintable(StoredHead head, List<String> varyRule) {
    String type = head.first("content-type");
    if (head.status() != 200 || type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
      return false;
    }
    for (String name : varyRule) {
      if (!name.equals("accept-encoding") && !name.equals(ContentCoding.CODING_FIELD)) {
        return false;
      }
    }
    return VaryRule.parse(head.values("vary")).names().stream().allMatch(n -> n.equals("accept-encoding"));
  }

  /** Whether the container writes an interim response for {@code sendError(103)}. */
  private static boolean sendsInterim(HttpServletResponse res) {
    ContainerResponses container = ContainerResponses.of(res);
    return container == ContainerResponses.JETTY || container == ContainerResponses.TOMCAT;
  }
}
