package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cache's own content codings, as Varnish's gzip support does them: one representation is
 * stored, gzip, and the other is made from it. A compressible response the origin sent without a
 * coding is gzipped as it is stored ({@link #gzipsAtEdge}); a gzip body, the origin's or the
 * cache's, is decoded for a client that does not take gzip ({@link #decodesFor}).
 *
 * <p>Such an object is one object whatever the request's {@code Accept-Encoding}: the cache
 * negotiates the coding itself, so that field leaves the object's vary rule, and every response
 * made from it says {@code Vary: Accept-Encoding} to the caches after this one. A body the cache
 * transformed carries a weak entity tag (RFC 9110 §8.8.3: the strong one names the origin's bytes,
 * and these are others). Nothing marked {@code no-transform} (RFC 9111 §5.2.2.6), coded otherwise,
 * or partial is ever transformed.
 */
public final class ContentCoding {
  /** The stored field that says the cache gzipped the body itself; ':' is in no field name an origin can send. */
  public static final String EDGE_GZIP = ":edge-gzip";
  /** Bodies smaller than this are not worth a gzip header. */
  static final long MIN_BYTES = 256;

  private ContentCoding() {}

  /** Whether responses of this media type shrink when gzipped: text, JSON, JavaScript, XML, SVG. */
  public static boolean compressibleType(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json")
        || t.equals("application/javascript") || t.equals("application/ecmascript")
        || t.equals("application/xml") || t.endsWith("+xml") || t.equals("image/svg+xml")
        || t.equals("application/x-javascript") || t.equals("application/manifest+json");
  }

  /** Whether the response's directives forbid a transformation (RFC 9111 §5.2.2.6). */
  public static boolean noTransform(StoredHead response) {
    return CacheControl.parse(response.values("cache-control")).noTransform();
  }

  /** The response's content coding, lower case; null for none or identity. */
  public static String coding(StoredHead response) {
    List<String> codings = response.values("content-encoding");
    if (codings.isEmpty()) {
      return null;
    }
    String all = String.join(",", codings).trim().toLowerCase(Locale.ROOT);
    return all.isEmpty() || all.equals("identity") ? null : all;
  }

  /**
   * Whether the cache gzips this response as it stores it: a whole 200 with no coding, of a
   * compressible type, not marked {@code no-transform}, and not known to be tiny.
   *
   * @param declaredLength the {@code Content-Length}, or -1
   */
  public static boolean gzipsAtEdge(StoredHead response, long declaredLength) {
    return response.status() == 200 && coding(response) == null && response.first("content-range") == null
        && compressibleType(response.first("content-type")) && !noTransform(response)
        && (declaredLength < 0 || declaredLength >= MIN_BYTES);
  }

  /** Whether the cache negotiates this stored response's coding itself: gzip, transformable. */
  public static boolean negotiatedHere(StoredHead stored) {
    return stored.status() == 200 && "gzip".equals(coding(stored)) && !noTransform(stored);
  }

  /** The head stored for a body the cache gzips: the coding said, the tag weakened, and Vary. */
  public static StoredHead gzippedHead(StoredHead response) {
    List<StoredHead.Field> out = new ArrayList<>(response.fields().size() + 3);
    for (StoredHead.Field f : response.fields()) {
      if (!f.name().equals("content-encoding")) {
        out.add(f.name().equals("etag") ? new StoredHead.Field("etag", weak(f.value())) : f);
      }
    }
    out.add(new StoredHead.Field("content-encoding", "gzip"));
    out.add(new StoredHead.Field(EDGE_GZIP, "1"));
    return withVaryOnCoding(new StoredHead(response.status(), out));
  }

  /** A stored gzip head that Vary names {@code Accept-Encoding} in, for the caches after this one. */
  public static StoredHead withVaryOnCoding(StoredHead head) {
    for (String v : head.values("vary")) {
      for (String name : v.split(",")) {
        String n = name.trim();
        if (n.equalsIgnoreCase("accept-encoding") || n.equals("*")) {
          return head;
        }
      }
    }
    List<StoredHead.Field> out = new ArrayList<>(head.fields());
    out.add(new StoredHead.Field("vary", "Accept-Encoding"));
    return new StoredHead(head.status(), out);
  }

  /**
   * Whether a client is served {@code stored} decoded: it is negotiated here, and the client
   * did not ask for gzip ({@link AcceptEncoding#asksFor}).
   */
  public static boolean decodesFor(StoredHead stored, AcceptEncoding client) {
    return negotiatedHere(stored) && !client.asksFor("gzip");
  }

  /** The head of the decoded representation: no coding, and a weak tag. */
  public static StoredHead decodedHead(StoredHead stored) {
    List<StoredHead.Field> out = new ArrayList<>(stored.fields().size());
    for (StoredHead.Field f : stored.fields()) {
      if (f.name().equals("content-encoding") || f.name().equals(EDGE_GZIP)) {
        continue;
      }
      out.add(f.name().equals("etag") ? new StoredHead.Field("etag", weak(f.value())) : f);
    }
    return new StoredHead(stored.status(), out);
  }

  /**
   * The head after a 304 merged into a head the cache gzipped: the origin's tag names its own
   * bytes, so it is weakened again.
   */
  public static StoredHead afterRevalidation(StoredHead merged) {
    if (merged.first(EDGE_GZIP) == null) {
      return merged;
    }
    List<StoredHead.Field> out = new ArrayList<>(merged.fields().size());
    for (StoredHead.Field f : merged.fields()) {
      out.add(f.name().equals("etag") ? new StoredHead.Field("etag", weak(f.value())) : f);
    }
    return new StoredHead(merged.status(), out);
  }

  /** The vary rule's names without {@code accept-encoding}, which the cache negotiates itself. */
  public static List<String> withoutCoding(List<String> varyRule) {
    List<String> out = new ArrayList<>(varyRule.size());
    for (String n : varyRule) {
      if (!n.equalsIgnoreCase("accept-encoding")) {
        out.add(n);
      }
    }
    return out;
  }

  static String weak(String etag) {
    String t = etag.trim();
    return t.startsWith("W/") ? t : "W/" + t;
  }
}
