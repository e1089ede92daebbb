package dev.edgecache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small helpers for writing and reading bodies in tests. */
public final class TestBodies {
  private TestBodies() {}

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code n} bytes of a repeating pattern, so that misplaced bytes show. */
  public static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8));
    }
    return b;
  }

  public static String text(CacheEntry e) {
    return new String(read(e.body()), StandardCharsets.UTF_8);
  }

  public static byte[] read(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static WriteOptions ttl(Duration maxAge) {
    return WriteOptions.builder(maxAge).build();
  }

  /** Inserts {@code body} as the owner of {@code entry}, committing it. */
  public static void fill(CacheEntry entry, WriteOptions options, byte[] body) {
    try (BodySink sink = entry.insert(options)) {
      sink.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Inserts {@code body} outside any transaction. */
  public static void put(EdgeCache cache, CacheKey key, WriteOptions options, byte[] body) {
    try (BodySink sink = cache.insert(key, options)) {
      sink.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
