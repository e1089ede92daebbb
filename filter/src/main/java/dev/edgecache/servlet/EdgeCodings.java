package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * The codings the cache can make itself: gzip always (the JDK's), and {@code br} and
 * {@code zstd} where Brotli4j and zstd-jni, optional dependencies with native code, are on the
 * class path and load on this platform. Told once, at the first use.
 */
final class EdgeCodings {
  private static final Logger LOG = Logger.getLogger(EdgeCodings.class.getName());
  /**
   * The codings beyond gzip that load here, in the cache's order of preference for a client that
   * takes them all alike: br first, the smallest on the text the cache encodes (load run 12).
   */
  private static final List<String> BEYOND_GZIP = loaded();

  private EdgeCodings() {}

  /** The codings the cache can make here beside gzip, best first ({@code br}, {@code zstd}). */
  static List<String> beyondGzip() {
    return BEYOND_GZIP;
  }

  /**
   * A sink that encodes into {@code target} in {@code coding}: {@code gzip}, {@code br} or
   * {@code zstd}; {@code released} runs once when its encoder is done with.
   */
  static BodySink encoding(String coding, BodySink target, Runnable released) throws IOException {
    EncodingSink.Encoder encoder = switch (coding) {
      case "br" -> BrotliEncoder::on;
      case "zstd" -> ZstdEncoder::on;
      // syncFlush: a flush of the origin's reaches followers at once
      case "gzip" -> out -> new GZIPOutputStream(out, 16 * 1024, true);
      default -> throw new IllegalArgumentException("the cache does not make " + coding);
    };
    return new EncodingSink(target, encoder, released);
  }

  private static List<String> loaded() {
    List<String> made = new ArrayList<>(2);
    if (brotliLoads()) {
      made.add("br");
    }
    if (zstdLoads()) {
      made.add("zstd");
    }
    return List.copyOf(made);
  }

  private static boolean brotliLoads() {
    try {
      Class<?> loader = Class.forName("com.aayushatharva.brotli4j.Brotli4jLoader", true,
          EdgeCodings.class.getClassLoader());
      if ((Boolean) loader.getMethod("isAvailable").invoke(null)) {
        return true;
      }
      LOG.log(Level.FINE, "Brotli4j is here, but not its native library for this platform: the cache makes no br",
          (Throwable) loader.getMethod("getUnavailabilityCause").invoke(null));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
      LOG.log(Level.FINE, "no Brotli4j here: the cache makes no br", absent);
    }
    return false;
  }

  private static boolean zstdLoads() {
    try {
      Class<?> zstd = Class.forName("com.github.luben.zstd.Zstd", true, EdgeCodings.class.getClassLoader());
      zstd.getMethod("compressBound", long.class).invoke(null, 1L); // loads the native library
      return true;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
      LOG.log(Level.FINE, "no zstd-jni that loads here: the cache makes no zstd", absent);
      return false;
    }
  }
}
