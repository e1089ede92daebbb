package dev.edgecache.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The status and header fields of a stored response, kept as the object's user metadata. The
 * encoding, by example, for {@code 200} with {@code Content-Type: text/html}:
 *
 * <pre>
 *   01            version
 *   00 c8         status 200
 *   00 01         one field
 *   00 0c "content-type"   00 00 00 09 "text/html"
 * </pre>
 *
 * <p>Fields that must not be replayed are left out when a head is made
 * ({@link #storable}): hop-by-hop fields, edge-only fields, {@code Set-Cookie}, {@code Age},
 * lengths, and the fields a qualified {@code private} or {@code no-cache} names. A value with CR,
 * LF or NUL makes the response unstorable, so a stored head can never inject a field (THREATS 21).
 * Decoding never trusts its input: bad bytes give an empty result.
 *
 * @param status the status code
 * @param fields lower-case names and values, in order
 */
public record StoredHead(int status, List<Field> fields) {
  /** One field line. */
  public record Field(String name, String value) {}

  /**
   * Fields never stored: hop-by-hop (RFC 9110 §7.6.1), per-response ones, and
   * {@code Surrogate-Key} (kept as the object's tags). {@code Surrogate-Control} is stored, as the
   * directives that governed the object, and never replayed ({@link #replayed}).
   */
  public static final Set<String> NOT_STORED = Set.of("connection", "keep-alive",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authenticate",
      "proxy-authorization", "set-cookie", "set-cookie2", "age", "content-length",
      "surrogate-key", "cache-status");

  /**
   * Whether a stored field goes to clients: all but this cache's own {@code Surrogate-Control}
   * and its own notes, whose names start with ':' as no field's sent over HTTP/1.1 can.
   */
  public static boolean replayed(String lowerCaseName) {
    return !lowerCaseName.equals("surrogate-control") && !lowerCaseName.startsWith(":");
  }

  private static final int VERSION = 1;

  public StoredHead {
    fields = List.copyOf(fields);
  }

  /**
   * The head to store for a response, or empty if a value could inject a field.
   *
   * @param excluded further lower-case names to leave out (qualified private / no-cache)
   */
  public static Optional<StoredHead> storable(int status, List<Field> responseFields, Set<String> excluded) {
    List<Field> kept = new ArrayList<>();
    for (Field f : responseFields) {
      String name = f.name().toLowerCase(Locale.ROOT);
      if (NOT_STORED.contains(name) || excluded.contains(name) || name.startsWith(":")) {
        continue; // ':' starts the cache's own notes, which no response may plant
      }
      if (hasControl(name) || hasControl(f.value())) {
        return Optional.empty();
      }
      kept.add(new Field(name, f.value()));
    }
    return Optional.of(new StoredHead(status, kept));
  }

  /** The values of {@code name} (lower case), in order. */
  public List<String> values(String name) {
    List<String> out = new ArrayList<>(1);
    for (Field f : fields) {
      if (f.name().equals(name)) {
        out.add(f.value());
      }
    }
    return out;
  }

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return f.value();
      }
    }
    return null;
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + fields.size() * 32);
    out.write(VERSION);
    out.write(status >>> 8);
    out.write(status);
    out.write(fields.size() >>> 8);
    out.write(fields.size());
    for (Field f : fields) {
      byte[] n = f.name().getBytes(StandardCharsets.UTF_8);
      byte[] v = f.value().getBytes(StandardCharsets.UTF_8);
      out.write(n.length >>> 8);
      out.write(n.length);
      out.write(n, 0, n.length);
      out.write(v.length >>> 24);
      out.write(v.length >>> 16);
      out.write(v.length >>> 8);
      out.write(v.length);
      out.write(v, 0, v.length);
    }
    return out.toByteArray();
  }

  /** Decodes {@link #encode()}'s bytes; empty for anything that is not such an encoding. */
  public static Optional<StoredHead> decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != VERSION) {
        return Optional.empty();
      }
      int status = in.getShort() & 0xffff;
      int count = in.getShort() & 0xffff;
      List<Field> fields = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = string(in, in.getShort() & 0xffff);
        String value = string(in, in.getInt());
        if (hasControl(name) || hasControl(value)) {
          return Optional.empty();
        }
        fields.add(new Field(name, value));
      }
      return in.hasRemaining() || status < 100 || status > 999
          ? Optional.empty() : Optional.of(new StoredHead(status, fields));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String string(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("bad length");
    }
    // decoded in place from the wrapped array: one allocation per field, not two, on every hit
    String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }
}
