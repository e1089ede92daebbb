package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The cache's content codings. Responses whose coding the cache negotiates itself (gzip, or a
 * compressible type sent without a coding; never {@code no-transform}) are kept in one variant
 * per coding the cache makes (gzip, and br and zstd where it can), whatever the spellings of
 * {@code Accept-Encoding}, and one for the others ({@link #CODING_FIELD}, {@link #variantOf}).
 * Such a variant of a response the origin sent without a coding is encoded as it is stored
 * ({@link #gzipsAtEdge}, {@link #codedHead}); a gzip body that lands in the identity variant (an
 * origin that gzips whatever it is asked) is decoded for its clients ({@link #decodesFor}). So each client gets its coding from a stored object with no work per
 * hit, as far as the origin lets it.
 *
 * <p>Every response made from such an object says {@code Vary: Accept-Encoding} to the caches
 * after this one, and a body the cache transformed carries a weak entity tag (RFC 9110 §8.8.3:
 * the strong one names the origin's bytes, and these are others) and none of the origin's
 * digests ({@link #DIGESTS}). Nothing marked
 * {@code no-transform} (RFC 9111 §5.2.2.6), coded otherwise, or partial is ever transformed.
 */
public final class ContentCoding {
  /** The start of the stored field that names a coding the cache made ({@link #edgeMarker}). */
  private static final String EDGE_PREFIX = ":edge-";
  /** The stored field that says the cache gzipped the body itself; ':' is in no field name an origin can send. */
  public static final String EDGE_GZIP = edgeMarker("gzip");
  /** The stored field that says the cache negotiates the object's coding. */
  public static final String NEGOTIATED = ":coding-negotiated";
  /**
   * The variant field that stands for the request's {@code Accept-Encoding} in the vary rule of
   * an object whose coding the cache negotiates: the coding the client prefers among those the
   * cache makes ({@code gzip}, {@code br}, {@code zstd}), absent for none.
   */
  public static final String CODING_FIELD = "edgecache-coding";
  /**
   * Fields that describe the bytes of one coding and are left out of a body the cache transforms
   * (RFC 9530 §2–3: {@code Content-Digest} and {@code Repr-Digest} are of the encoded bytes, as
   * {@code Content-MD5} was), as {@code mod_deflate} leaves them out.
   */
  static final Set<String> DIGESTS = Set.of("content-md5", "content-digest", "repr-digest");
  /** The fields of a response that decoding its gzip changes: its coding, length, tag and digests. */
  public static final Set<String> DECODING_CHANGES = union(Set.of("content-encoding", "content-length", "etag"),
      DIGESTS);
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

  /**
   * Whether the cache negotiates this response's coding: a whole 200, not {@code no-transform},
   * gzip, or of a compressible type without a coding and not declared too small to gzip. A
   * response that no client could be given in another coding is left as the origin keyed it.
   *
   * @param declaredLength the {@code Content-Length}, or -1
   */
  public static boolean negotiable(StoredHead response, long declaredLength) {
    if (response.status() != 200 || noTransform(response) || response.first("content-range") != null) {
      return false;
    }
    String coding = coding(response);
    return "gzip".equals(coding) || (coding == null && compressibleType(response.first("content-type"))
        && (declaredLength < 0 || declaredLength >= MIN_BYTES));
  }

  /**
   * The coding variant a client falls in, as the values of {@link #CODING_FIELD}: {@code gzip}, or
   * none for the identity variant, so that a lookup through the core API without request headers
   * finds what a client without gzip is given.
   */
  public static List<String> variantOf(AcceptEncoding client) {
    return variantOf(client, List.of());
  }

  /**
   * The coding variant a client falls in where the cache can also make the codings
   * {@code beyondGzip} ({@code br}, RFC 7932; {@code zstd}, RFC 8878; in the cache's order of
   * preference): of those and gzip, the one the client prefers ({@link AcceptEncoding#preferred}),
   * so a browser's {@code gzip, deflate, br, zstd} falls in the cache's first; none for a client
   * that asks for none of them.
   */
  public static List<String> variantOf(AcceptEncoding client, List<String> beyondGzip) {
    List<String> made = new ArrayList<>(beyondGzip.size() + 1);
    made.addAll(beyondGzip);
    made.add("gzip");
    String coding = client.preferred(made);
    return coding == null ? List.of() : List.of(coding);
  }

  /** The stored field that says the cache made a body's {@code coding} itself ({@link #EDGE_GZIP} for gzip). */
  static String edgeMarker(String coding) {
    return EDGE_PREFIX + coding;
  }

  /** The coding the cache made a stored body in itself, gzip, br or zstd; null for one it did not make. */
  public static String codedAtEdgeIn(StoredHead stored) {
    for (StoredHead.Field f : stored.fields()) {
      if (f.name().startsWith(EDGE_PREFIX)) {
        return f.name().substring(EDGE_PREFIX.length());
      }
    }
    return null;
  }

  /** Whether the cache made a stored body's coding itself. */
  public static boolean codedAtEdge(StoredHead stored) {
    return codedAtEdgeIn(stored) != null;
  }

  /**
   * Whether a stored body is answered whole to a {@code Range}: one the cache encoded itself in
   * a coding other than gzip (a server may ignore Range, RFC 9110 §14.2). Its ranges would be of
   * bytes no client asked the origin for, and only gzip is decoded here to cut the origin's.
   */
  public static boolean rangesAnsweredWhole(StoredHead stored) {
    String coding = codedAtEdgeIn(stored);
    return coding != null && !coding.equals("gzip");
  }

  /** The head stored for a negotiated response the cache keeps as it came: marked, and Vary said. */
  public static StoredHead negotiatedHead(StoredHead response) {
    List<StoredHead.Field> out = new ArrayList<>(response.fields());
    out.add(new StoredHead.Field(NEGOTIATED, "1"));
    return withVaryOnCoding(new StoredHead(response.status(), out));
  }

  /** Whether a stored object's coding is negotiated here, and its body gzip. */
  public static boolean negotiatedGzip(StoredHead stored) {
    return stored.first(NEGOTIATED) != null && "gzip".equals(coding(stored));
  }

  /** The head stored for a body the cache gzips: the coding said, the tag weakened, and Vary. */
  public static StoredHead gzippedHead(StoredHead response) {
    return codedHead(response, "gzip");
  }

  /**
   * The head stored for a body the cache encodes in {@code coding} ({@code gzip}, {@code br} or {@code zstd}):
   * the coding said, the tag weakened, and Vary.
   */
  public static StoredHead codedHead(StoredHead response, String coding) {
    List<StoredHead.Field> out = new ArrayList<>(response.fields().size() + 3);
    for (StoredHead.Field f : response.fields()) {
      if (!f.name().equals("content-encoding") && !DIGESTS.contains(f.name())) {
        out.add(f.name().equals("etag") ? new StoredHead.Field("etag", weak(f.value())) : f);
      }
    }
    out.add(new StoredHead.Field("content-encoding", coding));
    out.add(new StoredHead.Field(edgeMarker(coding), "1"));
    out.add(new StoredHead.Field(NEGOTIATED, "1"));
    return withVaryOnCoding(new StoredHead(response.status(), out));
  }

  /** Whether {@code Vary} lines name {@code Accept-Encoding}, or {@code *}. */
  public static boolean variesOnCoding(Iterable<String> varyLines) {
    for (String v : varyLines) {
      for (String name : v.split(",")) {
        String n = name.trim();
        if (n.equalsIgnoreCase("accept-encoding") || n.equals("*")) {
          return true;
        }
      }
    }
    return false;
  }

  /** A stored gzip head that Vary names {@code Accept-Encoding} in, for the caches after this one. */
  public static StoredHead withVaryOnCoding(StoredHead head) {
    if (variesOnCoding(head.values("vary"))) {
      return head;
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
    return negotiatedGzip(stored) && !client.asksFor("gzip");
  }

  /** The head of the decoded representation: no coding, and a weak tag. */
  public static StoredHead decodedHead(StoredHead stored) {
    List<StoredHead.Field> out = new ArrayList<>(stored.fields().size());
    for (StoredHead.Field f : stored.fields()) {
      if (f.name().equals("content-encoding") || f.name().equals(EDGE_GZIP) || f.name().equals(NEGOTIATED)
          || DIGESTS.contains(f.name())) {
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
    if (!codedAtEdge(merged)) {
      return merged;
    }
    List<StoredHead.Field> out = new ArrayList<>(merged.fields().size());
    for (StoredHead.Field f : merged.fields()) {
      out.add(f.name().equals("etag") ? new StoredHead.Field("etag", weak(f.value())) : f);
    }
    return new StoredHead(merged.status(), out);
  }

  /**
   * The vary rule of a negotiated object: {@code accept-encoding} gives way to the coding
   * variant, so that its many spellings make one variant per coding the cache makes, and one more.
   */
  public static List<String> negotiatedRule(List<String> varyRule) {
    List<String> out = new ArrayList<>(varyRule.size() + 1);
    for (String n : varyRule) {
      if (!n.equalsIgnoreCase("accept-encoding") && !n.equals(CODING_FIELD)) {
        out.add(n);
      }
    }
    out.add(CODING_FIELD);
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static String weak(String etag) {
    String t = etag.trim();
    return t.startsWith("W/") ? t : "W/" + t;
  }
}
