package dev.edgecache.servlet;

import dev.edgecache.BodyChunks;
import dev.edgecache.BodyRange;
import dev.edgecache.CacheEntry;
import dev.edgecache.http.AcceptEncoding;
import dev.edgecache.http.ByteRanges;
import dev.edgecache.http.PartialContent;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.Conditional;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a stored response to a client: 304 for a matching conditional request (RFC 9111 §4.3.2),
 * 206 or multipart for ranges (RFC 9110 §14), 416 for unsatisfiable ones, headers only for HEAD,
 * and {@code Age} (RFC 9111 §5.1) and {@code Cache-Status} on each.
 */
final class CachedResponses {
  /** Fields a 304 carries from the stored response (RFC 9110 §15.4.5). */
  private static final Set<String> NOT_MODIFIED_FIELDS = Set.of("cache-control", "content-location",
      "date", "etag", "expires", "vary", "last-modified");

  private CachedResponses() {}

  /**
   * Serves {@code entry} whose head is {@code head}, writing its body with blocking writes.
   * Reading a body that another request is still writing may fail midway; the exception then
   * leaves this method after the response has been committed, so that the container aborts the
   * connection instead of ending a short body cleanly.
   */
  static void serve(HttpServletRequest req, HttpServletResponse res, CacheEntry entry,
      StoredHead head, CacheStatus status, int maxRanges, long nowMillis, LongAdder written) throws IOException {
    write(res, entry, prepare(req, res, entry, head, status, maxRanges, nowMillis), written);
  }

  /**
   * Serves {@code entry} as {@link #serve(HttpServletRequest, HttpServletResponse, CacheEntry,
   * StoredHead, CacheStatus, int, long, LongAdder) serve} does, with the {@code age} of a response
   * that is newer than the looked-up object (one a 304 just freshened).
   */
  static void serve(HttpServletRequest req, HttpServletResponse res, CacheEntry entry, StoredHead head,
      Duration age, CacheStatus status, int maxRanges, long nowMillis, LongAdder written) throws IOException {
    write(res, entry, prepare(req, res, entry, head, age, status, maxRanges, nowMillis), written);
  }

  /** Writes the parts of a body that {@link #prepare} made, with blocking writes, counting the bytes into {@code written}. */
  static void write(HttpServletResponse res, CacheEntry entry, List<Part> body, LongAdder written) throws IOException {
    if (body.isEmpty()) {
      endWithoutBody(res);
      return;
    }
    ServletOutputStream out = res.getOutputStream();
    for (Part p : body) {
      if (p.literal() != null) {
        out.write(p.literal());
        written.add(p.literal().length);
      } else if (p.gunzip() && p.cut() != null) {
        decode(entry, p.cut().getOutputStream(), written);
        p.cut().finish();
      } else if (p.gunzip()) {
        decode(entry, out, written);
      } else {
        copy(entry.bodyChunks(p.range()), out, written);
      }
    }
  }

  /**
   * Ends an answer that has no body (a 304, a HEAD, a 416) by sending its head as it stands, when
   * it says no length: a container that completes a response with nothing written adds
   * {@code Content-Length: 0} (Jetty does), which a 304 may not say unless it is the 200's
   * (RFC 9110 §8.6), nor a HEAD whose GET's length is not known (§9.3.2).
   */
  static void endWithoutBody(HttpServletResponse res) throws IOException {
    if (!res.isCommitted() && res.getHeader("Content-Length") == null) {
      res.flushBuffer();
    }
  }

  /**
   * One piece of a served body, in order: literal bytes (a multipart boundary) or a range of the
   * stored body.
   */
  record Part(byte[] literal, BodyRange range, boolean gunzip, ColdAnswer cut) {
    static Part of(byte[] literal) {
      return new Part(literal, null, false, null);
    }

    static Part of(BodyRange range) {
      return new Part(null, range, false, null);
    }
  }

  /**
   * Sets the status and fields of the answer to {@code req} from the stored {@code head}, and
   * says what its body is made of: nothing for HEAD, 304 and 416, the stored body, one range of
   * it, or the parts of a multipart answer.
   */
  static List<Part> prepare(HttpServletRequest req, HttpServletResponse res, CacheEntry entry,
      StoredHead stored, CacheStatus status, int maxRanges, long nowMillis) {
    return prepare(req, res, entry, stored, entry.age().orElse(Duration.ZERO), status, maxRanges, nowMillis);
  }

  private static List<Part> prepare(HttpServletRequest req, HttpServletResponse res, CacheEntry entry,
      StoredHead stored, Duration ageNow, CacheStatus status, int maxRanges, long nowMillis) {
    // a gzip body the cache negotiates, for a client that did not ask for gzip, or a range of a
    // body the cache gzipped itself (its ranges are the origin's bytes'): decoded
    boolean ranged = req.getHeader("Range") != null;
    boolean decode = decodes(req, stored)
        || (ranged && stored.first(ContentCoding.EDGE_GZIP) != null);
    StoredHead head = decode ? ContentCoding.decodedHead(stored) : stored;
    long age = ageNow.toSeconds();
    boolean head200 = head.status() == 200;
    List<String> ifNoneMatch = list(req.getHeaders("If-None-Match"));
    List<String> ifModifiedSince = list(req.getHeaders("If-Modified-Since"));
    // most hits are unconditional: they skip the stored validators altogether
    boolean conditional = !ifNoneMatch.isEmpty() || !ifModifiedSince.isEmpty();
    if (conditional && head200 && isGetOrHead(req) && Conditional.notModified(ifNoneMatch, ifModifiedSince,
        head.first("etag"), head.first("last-modified"), head.first("date"), nowMillis)) {
      res.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      String[] before = namesOf(res);
      List<StoredHead.Field> fields = head.fields();
      for (int i = 0; i < fields.size(); i++) {
        if (NOT_MODIFIED_FIELDS.contains(fields.get(i).name())) {
          replay(res, before, fields, i);
        }
      }
      finishHeaders(res, before, age, status);
      return List.of();
    }
    res.setStatus(head.status());
    String[] before = namesOf(res);
    List<StoredHead.Field> fields = head.fields();
    for (int i = 0; i < fields.size(); i++) {
      replay(res, before, fields, i);
    }
    finishHeaders(res, before, age, status);
    boolean isHead = "HEAD".equals(req.getMethod());
    if (decode) {
      // its length is known only once decoded: no Content-Length, and a range is cut from the
      // decoded stream as from a cold fill's (a single bounded one; else the whole body)
      // the trailer's length only where the cache wrote the trailer: an origin's could lie, and a
      // Content-Length that the body then breaks would frame the connection wrongly
      long decodedLength = stored.first(ContentCoding.EDGE_GZIP) != null ? decodedLength(entry) : -1;
      if (decodedLength >= 0) {
        res.setContentLengthLong(decodedLength);
      }
      if (isHead) {
        return List.of();
      }
      if (!ranged) {
        return DECODED;
      }
      java.time.Clock at = java.time.Clock.fixed(java.time.Instant.ofEpochMilli(nowMillis), java.time.ZoneOffset.UTC);
      return List.of(new Part(null, BodyRange.all(), true, new ColdAnswer(req, res, maxRanges, at)));
    }
    long length = entry.length().orElse(-1);
    if (head200 && length >= 0 && !ContentCoding.rangesAnsweredWhole(stored)) {
      put(res, head.first("accept-ranges") != null || has(before, "accept-ranges"), "Accept-Ranges", "bytes");
      String range = req.getHeader("Range");
      if (range != null && Conditional.ifRangeHolds(req.getHeader("If-Range"), head.first("etag"),
          head.first("last-modified"))) {
        ByteRanges.Decision d = ByteRanges.decide(range, length, maxRanges);
        switch (d.outcome()) {
          case PARTIAL -> {
            ByteRanges.Range r = d.ranges().get(0);
            res.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            res.setHeader("Content-Range", r.contentRange(length));
            res.setContentLengthLong(r.length());
            return isHead ? List.of() : List.of(Part.of(BodyRange.of(r.first(), r.last())));
          }
          case MULTIPART -> {
            return multipart(res, head.first("content-type"), d.ranges(), length, isHead);
          }
          case UNSATISFIABLE -> {
            res.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            res.setHeader("Content-Range", "bytes */" + length);
            res.setContentLengthLong(0);
            return List.of();
          }
          default -> {
            // the whole response
          }
        }
      }
    }
    if (head.status() == HttpServletResponse.SC_PARTIAL_CONTENT && !isHead) {
      // partial content (PartialResponses): the client's range, cut from the range held
      Optional<PartialContent> held = PartialContent.of(head);
      Optional<ByteRanges.Range> cut = held.filter(p -> p.describes(length))
          .flatMap(p -> p.answers(req.getHeader("Range")));
      if (cut.isPresent()) {
        ByteRanges.Range r = cut.get();
        long from = held.get().first();
        res.setHeader("Content-Range", r.contentRange(held.get().total()));
        res.setContentLengthLong(r.length());
        return List.of(Part.of(BodyRange.of(r.first() - from, r.last() - from)));
      }
    }
    if (length >= 0) {
      res.setContentLengthLong(length);
    }
    return isHead ? List.of() : WHOLE;
  }

  /** The body of most answers: the stored body, whole (one list for every hit). */
  private static final List<Part> WHOLE = List.of(Part.of(BodyRange.all()));
  /** The stored gzip body, decoded. */
  private static final List<Part> DECODED = List.of(new Part(null, BodyRange.all(), true, null));

  /**
   * The decoded length of a complete stored gzip body, from its trailer (RFC 1952: the length
   * modulo 2^32), where no body that size could decode past 2^32 bytes (deflate shrinks 1,032
   * to 1 at best); -1 if not known.
   */
  static long decodedLength(CacheEntry entry) {
    long stored = entry.length().orElse(-1);
    if (stored < 18 || stored > (1L << 32) / 1032) {
      return -1;
    }
    byte[] trailer = new byte[4];
    try (BodyChunks tail = entry.bodyChunks(BodyRange.of(stored - 4, stored - 1))) {
      int at = 0;
      ByteBuffer chunk;
      while (at < 4 && (chunk = tail.next()) != null) {
        int n = Math.min(chunk.remaining(), 4 - at);
        chunk.get(trailer, at, n);
        at += n;
      }
      if (at < 4) {
        return -1;
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return (trailer[0] & 0xffL) | (trailer[1] & 0xffL) << 8 | (trailer[2] & 0xffL) << 16 | (trailer[3] & 0xffL) << 24;
  }

  /** Whether {@code req} is served the stored body decoded ({@link ContentCoding#decodesFor}). */
  static boolean decodes(HttpServletRequest req, StoredHead stored) {
    // most hits are of objects whose coding is not negotiated: their Accept-Encoding is not read
    return ContentCoding.negotiatedGzip(stored)
        && ContentCoding.decodesFor(stored, AcceptEncoding.parse(list(req.getHeaders("Accept-Encoding"))));
  }

  /**
   * Writes stored field {@code i}. Its first occurrence replaces what the response held {@code
   * before} (Jetty's own {@code Date} and {@code Server}), so that a single-valued field appears
   * once and a hit carries the origin's {@code Date}, from which its {@code Age} counts (RFC 9111
   * §4.2.3, §5.1); later occurrences are added, so repeated fields stay repeated. A field the
   * response did not hold is added: a container's set scans every field it has, and a hit sets
   * a dozen.
   */
  private static void replay(HttpServletResponse res, String[] before, List<StoredHead.Field> fields,
      int i) {
    StoredHead.Field f = fields.get(i);
    if (!StoredHead.replayed(f.name())) {
      return;
    }
    for (int j = 0; j < i; j++) {
      if (fields.get(j).name().equalsIgnoreCase(f.name())) {
        res.addHeader(f.name(), f.value());
        return;
      }
    }
    put(res, has(before, f.name()), f.name(), f.value());
  }

  private static void finishHeaders(HttpServletResponse res, String[] before, long ageSeconds,
      CacheStatus status) {
    // neither is ever stored (StoredHead.NOT_STORED): only the response's own could be there
    put(res, has(before, "age"), "Age", Long.toString(ageSeconds));
    put(res, has(before, "cache-status"), "Cache-Status", status.toString());
  }

  private static void put(HttpServletResponse res, boolean replace, String name, String value) {
    if (replace) {
      res.setHeader(name, value);
    } else {
      res.addHeader(name, value);
    }
  }

  private static final String[] NO_NAMES = {};

  /** The names of the fields the response holds now: an array, walked for each stored field. */
  private static String[] namesOf(HttpServletResponse res) {
    Collection<String> names = res.getHeaderNames();
    return names.isEmpty() ? NO_NAMES : names.toArray(NO_NAMES);
  }

  /** Whether {@code names} holds {@code name}, in any case. */
  private static boolean has(String[] names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<Part> multipart(HttpServletResponse res, String contentType,
      List<ByteRanges.Range> ranges, long length, boolean isHead) {
    String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    res.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
    res.setContentType("multipart/byteranges; boundary=" + boundary);
    long total = 0;
    List<Part> parts = new java.util.ArrayList<>(2 * ranges.size() + 1);
    for (ByteRanges.Range r : ranges) {
      String part = "\r\n--" + boundary + "\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
          + "Content-Range: " + r.contentRange(length) + "\r\n\r\n";
      byte[] partHead = part.getBytes(StandardCharsets.ISO_8859_1);
      parts.add(Part.of(partHead));
      parts.add(Part.of(BodyRange.of(r.first(), r.last())));
      total += partHead.length + r.length();
    }
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    parts.add(Part.of(tail));
    res.setContentLengthLong(total + tail.length);
    return isHead ? List.of() : parts;
  }

  /**
   * Writes a body to the client, chunk by chunk as the store holds it. A body still being written
   * is flushed after each chunk, so that the client gets each byte as the origin produces it
   * rather than when the container's buffer fills.
   */
  static void copy(BodyChunks in, ServletOutputStream out, LongAdder written) throws IOException {
    try (in) {
      ByteBuffer chunk;
      while ((chunk = in.next()) != null) {
        int n = chunk.remaining();
        ChunkWriter.write(out, chunk);
        written.add(n);
        if (!in.complete()) {
          out.flush();
        }
      }
    }
  }

  /**
   * Writes a stored gzip body decoded, as its bytes come: a body still being written is decoded
   * as far as it goes, and flushed whenever the decoder would wait for more. A body that does
   * not decode breaks the response off (the exception leaves after the commit).
   */
  static void decode(CacheEntry entry, ServletOutputStream out, LongAdder written) throws IOException {
    try (java.io.InputStream raw = entry.body();
        java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(raw, 16 * 1024)) {
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        written.add(n);
        if (raw.available() == 0) {
          out.flush();
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException("the stored gzip body does not decode", e);
    }
  }

  static boolean isGetOrHead(HttpServletRequest req) {
    return "GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod());
  }

  static List<String> list(java.util.Enumeration<String> values) {
    // most requests carry no such field: no list made for them
    return values == null || !values.hasMoreElements() ? List.of() : Collections.list(values);
  }
}
