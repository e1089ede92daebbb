package dev.edgecache.servlet;

import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.RequestKey;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * {@code QUERY} (the safe, idempotent method with content of the IETF's HTTP working group,
 * draft-ietf-httpbis-safe-method-w-body): its responses are cached under a key that holds the
 * request's content, as the method's definition requires of caches (the content, and the fields
 * that say how to read it). The content is read before the lookup,
 * up to {@code query-max-bytes}, and replayed to the application; a larger one passes uncached,
 * replayed whole.
 *
 * <p>The key is the URL's, with a SHA-256 digest of the content's {@code Content-Type} (lower
 * case), its {@code Content-Encoding} and its bytes ({@link RequestKey#content}). A request whose
 * content differs in any byte is another key: no normalisation, so that no two requests the
 * application could answer differently share one. Every stored QUERY response is tagged with
 * its URL ({@link #tag}), so that a purge of the URL and the invalidation by an unsafe method
 * (RFC 9111 §4.4) reach them, however many bodies were asked.
 */
final class QueryContent {
  /** The method. */
  static final String METHOD = "QUERY";
  /** The request attribute that holds the digest of a QUERY's content read whole. */
  static final String DIGEST = "dev.edgecache.query-content";

  private QueryContent() {}

  /**
   * {@code req}, a QUERY, with its content read: a request that replays it, with its digest
   * noted ({@link #digestOf}) if it is at most {@code max} bytes; else one that replays what was
   * read and then the rest, with no digest (it passes).
   */
  static HttpServletRequest read(HttpServletRequest req, int max) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream((int) Math.min(Math.max(req.getContentLengthLong(), 0), max) + 1);
    InputStream in = req.getInputStream();
    byte[] buffer = new byte[8192];
    int n;
    while (read.size() <= max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max + 1L - read.size()))) > 0) {
      read.write(buffer, 0, n);
    }
    byte[] content = read.toByteArray();
    if (content.length > max) {
      return new Replayed(req, content, in);
    }
    req.setAttribute(DIGEST, digest(req.getContentType(), req.getHeader("Content-Encoding"), content));
    return new Replayed(req, content, null);
  }

  /** The digest of the request's content, if it is a QUERY read whole; else null. */
  static String digestOf(HttpServletRequest req) {
    return req.getAttribute(DIGEST) instanceof String d ? d : null;
  }

  private static String digest(String type, String encoding, byte[] content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {type, encoding}) {
        byte[] b = part == null ? new byte[0] : part.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (part == null ? 0 : 1));
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        sha.update(b);
      }
      sha.update(content);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** The tag every stored QUERY response of {@code url} (a key without content) carries. */
  static String tag(RequestKey url) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.cacheKey().bytes());
      return "edgecache-query-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** {@code options} of a response stored under {@code key}, tagged with its URL if it is a QUERY's. */
  static WriteOptions tagged(WriteOptions options, RequestKey key) {
    if (key.content() == null) {
      return options;
    }
    Set<String> tags = new HashSet<>(options.surrogateKeys());
    tags.add(tag(key.withoutContent()));
    return options.toBuilder().surrogateKeys(tags).build();
  }

  /** Purges the QUERY responses stored for {@code url}; whether there were any. */
  static boolean purge(EdgeCache cache, RequestKey url, boolean soft) {
    String tag = tag(url.withoutContent());
    return (soft ? cache.softPurgeSurrogateKey(tag) : cache.purgeSurrogateKey(tag)) > 0;
  }

  /** A request whose content is replayed from what was read, then from the rest of its stream. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] content;
    private final InputStream rest;

    Replayed(HttpServletRequest req, byte[] content, InputStream rest) {
      super(req);
      this.content = content;
      this.rest = rest;
    }

    @Override
    public int getContentLength() {
      return rest == null ? content.length : super.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
      return rest == null ? content.length : super.getContentLengthLong();
    }

    /** A stream of the content from its start, at each call: a background refresh reads it again. */
    @Override
    public ServletInputStream getInputStream() {
      InputStream bytes = new ByteArrayInputStream(content);
      return new ReplayStream(rest == null ? bytes : new SequenceInputStream(bytes, rest));
    }

    @Override
    public BufferedReader getReader() throws UnsupportedEncodingException {
      String encoding = getCharacterEncoding();
      Charset charset;
      try {
        charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      } catch (IllegalArgumentException e) {
        throw new UnsupportedEncodingException(encoding);
      }
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  /** Bytes already here, read as a servlet's input: always ready, ending at their end. */
  private static final class ReplayStream extends ServletInputStream {
    private final InputStream in;
    private boolean finished;

    ReplayStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      finished = b < 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      finished = n < 0;
      return n;
    }

    @Override
    public boolean isFinished() {
      return finished;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      try {
        listener.onDataAvailable();
        listener.onAllDataRead();
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }
}
