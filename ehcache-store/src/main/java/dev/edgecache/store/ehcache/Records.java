package dev.edgecache.store.ehcache;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.LockInfo;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StorageKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compact formats of the store's records, and the text keys they live under. Every record
 * that expires starts with its expiry time (8 bytes, epoch millis), so that the caches' expiry
 * policy reads it without decoding the rest. Decoding checks every length and throws
 * {@link IllegalArgumentException} on anything malformed, so a damaged or planted record is
 * treated as absent, never trusted.
 *
 * <pre>
 *   object record:  expiresAt(8) version(1)=1 writeId(8) chunks(4) meta...
 *   chunk record:   expiresAt(8) bytes...
 *   lock record:    expiresAt(8) token(utf) writeTag(len 2 + bytes, len 0xffff = none)
 *   counter:        value(8)
 *   purge scope:    generation(8) hardGeneration(8) firstSoftAt(8) lastSoftAt(8)
 *   key set:        count(4) then each key (utf)
 * </pre>
 */
final class Records {
  /** 2: records carry the stamps of their surrogate keys; 3: and of their purge scopes. */
  private static final int VERSION = 3;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  /** Limits that bound the work of decoding a hostile record. */
  private static final int MAX_LIST = 10_000;

  private Records() {}

  // ---------------------------------------------------------------- keys

  /** {@code base64(primary) "." base64(variant)}: '.' never occurs in base64url. */
  static String objectKey(StorageKey key) {
    return B64.encodeToString(key.primary().bytes()) + "." + B64.encodeToString(key.variant());
  }

  static StorageKey storageKey(String objectKey) {
    int dot = objectKey.indexOf('.');
    return StorageKey.of(CacheKey.of(B64D.decode(objectKey.substring(0, dot))),
        B64D.decode(objectKey.substring(dot + 1)));
  }

  static String primaryKey(CacheKey primary) {
    return B64.encodeToString(primary.bytes());
  }

  static CacheKey primary(String primaryKey) {
    return CacheKey.of(B64D.decode(primaryKey));
  }

  static String chunkKey(String objectKey, long writeId, int index) {
    return objectKey + "/" + Long.toHexString(writeId) + "/" + index;
  }

  // ---------------------------------------------------------------- expiry

  /** The expiry time that starts a record. */
  static long expiresAt(Blob record) {
    return record.length() < 8 ? 0 : ByteBuffer.wrap(record.bytes(), 0, 8).getLong();
  }

  // ---------------------------------------------------------------- objects

  /** A committed object's record: its metadata, the write it came from, and its chunk count. */
  /**
   * An object's record: its meta, its write, how many chunks it committed, and the stamp of each
   * of its surrogate keys when it was written ({@link EhcacheGenerations#stampTag}).
   */
  record StoredRecord(ObjectMeta meta, long writeId, int chunks, Map<String, Long> tagStamps) {
    StoredRecord {
      tagStamps = Map.copyOf(tagStamps);
    }
  }

  static Blob encodeObject(ObjectMeta m, long writeId, int chunks) {
    return encodeObject(m, writeId, chunks, Map.of());
  }

  static Blob encodeObject(ObjectMeta m, long writeId, int chunks, Map<String, Long> tagStamps) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + m.userMetadataLength());
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(m.expiresAtMillis());
      out.writeByte(VERSION);
      out.writeLong(writeId);
      out.writeInt(chunks);
      out.writeByte(m.kind().ordinal());
      out.writeLong(m.createdAtMillis());
      out.writeLong(m.initialAgeMillis());
      out.writeLong(m.maxAgeMillis());
      out.writeLong(m.freshForMillis());
      out.writeLong(m.staleWhileRevalidateMillis());
      out.writeLong(m.staleIfErrorMillis());
      out.writeLong(m.keepStaleMillis());
      out.writeLong(m.length());
      writeStrings(out, m.varyRule());
      writeStrings(out, new ArrayList<>(m.surrogateKeys()));
      byte[] user = m.userMetadata();
      out.writeInt(user.length);
      out.write(user);
      out.writeBoolean(m.sensitive());
      out.writeLong(m.epoch());
      out.writeLong(m.generation());
      out.writeLong(m.softPurgedAtMillis());
      out.writeLong(m.scopeSerial());
      writeStamps(out, m.scopeStamps());
      out.writeInt(tagStamps.size());
      for (Map.Entry<String, Long> e : tagStamps.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
      out.flush();
      return Blob.wrap(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StoredRecord decodeObject(Blob record) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(record.bytes()));
      in.readLong();
      if (in.readByte() != VERSION) {
        throw new IllegalArgumentException("unknown record version");
      }
      long writeId = in.readLong();
      int chunks = in.readInt();
      int kind = in.readByte();
      if (kind < 0 || kind >= ObjectMeta.Kind.values().length || chunks < 0) {
        throw new IllegalArgumentException("bad object record");
      }
      // read field by field, in the order the record was written
      ObjectMeta m = ObjectMeta.builder(ObjectMeta.Kind.values()[kind]).createdAtMillis(in.readLong())
          .initialAgeMillis(in.readLong()).maxAgeMillis(in.readLong()).freshForMillis(in.readLong())
          .staleWhileRevalidateMillis(in.readLong()).staleIfErrorMillis(in.readLong())
          .keepStaleMillis(in.readLong()).length(in.readLong()).varyRule(readStrings(in))
          .surrogateKeys(new LinkedHashSet<>(readStrings(in))).userMetadata(readBytes(in))
          .sensitive(in.readBoolean()).epoch(in.readLong()).generation(in.readLong())
          .softPurgedAtMillis(in.readLong()).scopeSerial(in.readLong()).scopeStamps(readStamps(in)).build();
      int stamps = in.readInt();
      if (stamps < 0 || stamps > 4096) {
        throw new IllegalArgumentException("bad object record");
      }
      // most objects have no surrogate keys: no map is made for them on every hit's decode
      Map<String, Long> tagStamps = stamps == 0 ? Map.of() : new java.util.HashMap<>();
      for (int i = 0; i < stamps; i++) {
        tagStamps.put(in.readUTF(), in.readLong());
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes in an object record");
      }
      return new StoredRecord(m, writeId, chunks, tagStamps);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated object record", e);
    }
  }

  // ---------------------------------------------------------------- chunks

  static Blob chunk(long expiresAt, byte[] data, int length) {
    byte[] b = new byte[8 + length];
    ByteBuffer.wrap(b).putLong(expiresAt);
    System.arraycopy(data, 0, b, 8, length);
    return Blob.wrap(b);
  }

  /** The data of a chunk record, without copying. */
  static ByteBuffer chunkData(Blob chunk) {
    return ByteBuffer.wrap(chunk.bytes(), 8, chunk.length() - 8).slice().asReadOnlyBuffer();
  }

  // ---------------------------------------------------------------- locks

  static Blob encodeLock(LockInfo info) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(info.expiresAtMillis());
      out.writeUTF(info.token());
      byte[] tag = info.writeTag();
      out.writeShort(tag == null ? 0xffff : tag.length);
      if (tag != null) {
        out.write(tag);
      }
      out.flush();
      return Blob.wrap(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LockInfo decodeLock(Blob record) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(record.bytes()));
      long expires = in.readLong();
      String token = in.readUTF();
      int tagLength = in.readUnsignedShort();
      byte[] tag = null;
      if (tagLength != 0xffff) {
        tag = new byte[tagLength];
        in.readFully(tag);
      }
      return new LockInfo(token, expires, tag);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad lock record", e);
    }
  }

  // ---------------------------------------------------------------- counters and sets

  static Blob counter(long value) {
    return Blob.wrap(ByteBuffer.allocate(8).putLong(value).array());
  }

  static long counterValue(Blob record) {
    if (record.length() != 8) {
      throw new IllegalArgumentException("bad counter record");
    }
    return ByteBuffer.wrap(record.bytes()).getLong();
  }

  static Blob encodeScope(dev.edgecache.spi.ScopeState s) {
    return Blob.wrap(ByteBuffer.allocate(32).putLong(s.generation()).putLong(s.hardGeneration())
        .putLong(s.firstSoftAtMillis()).putLong(s.lastSoftAtMillis()).array());
  }

  static dev.edgecache.spi.ScopeState decodeScope(Blob record) {
    if (record.length() != 32) {
      throw new IllegalArgumentException("bad purge scope record");
    }
    ByteBuffer b = ByteBuffer.wrap(record.bytes());
    return new dev.edgecache.spi.ScopeState(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  static Blob encodeSet(Set<String> members) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + members.size() * 24);
      DataOutputStream out = new DataOutputStream(bytes);
      writeStrings(out, new ArrayList<>(members));
      out.flush();
      return Blob.wrap(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<String> decodeSet(Blob record) {
    try {
      return new LinkedHashSet<>(readStrings(new DataInputStream(new ByteArrayInputStream(record.bytes()))));
    } catch (IOException e) {
      throw new IllegalArgumentException("bad set record", e);
    }
  }

  // ---------------------------------------------------------------- primitives

  private static void writeStamps(DataOutputStream out, Map<String, Long> stamps) throws IOException {
    out.writeInt(stamps.size());
    for (Map.Entry<String, Long> e : stamps.entrySet()) {
      byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
      out.writeLong(e.getValue());
    }
  }

  private static Map<String, Long> readStamps(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 64) {
      throw new IllegalArgumentException("bad purge scope stamps");
    }
    if (n == 0) {
      return Map.of();
    }
    Map<String, Long> stamps = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      stamps.put(new String(readBytes(in), StandardCharsets.UTF_8), in.readLong());
    }
    return stamps;
  }

  private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LIST) {
      throw new IllegalArgumentException("bad list length " + n);
    }
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(new String(readBytes(in), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IllegalArgumentException("bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
