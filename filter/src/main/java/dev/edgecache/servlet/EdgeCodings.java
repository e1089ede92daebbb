package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The codings the cache can make itself: gzip always (the JDK's), and zstd where zstd-jni, an
 * optional dependency with its native code inside, is on the class path and loads on this
 * platform. Told once, at the first use.
 */
final class EdgeCodings {
  private static final Logger LOG = Logger.getLogger(EdgeCodings.class.getName());
  private static final boolean ZSTD = zstdLoads();

  private EdgeCodings() {}

  /** Whether the cache can encode zstd here. */
  static boolean zstd() {
    return ZSTD;
  }

  /** A sink that encodes into {@code target} in {@code coding}, {@code gzip} or {@code zstd}. */
  static BodySink encoding(String coding, BodySink target) throws IOException {
    // syncFlush: a flush of the origin's reaches followers at once
    return "zstd".equals(coding) ? new EncodingSink(target, ZstdEncoder::on)
        : new EncodingSink(target, out -> new GZIPOutputStream(out, 16 * 1024, true));
  }

  private static boolean zstdLoads() {
    try {
      Class<?> zstd = Class.forName("com.github.luben.zstd.Zstd", true, EdgeCodings.class.getClassLoader());
      zstd.getMethod("compressBound", long.class).invoke(null, 1L); // loads the native library
      return true;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
      LOG.log(Level.FINE, "no zstd-jni that loads here: the cache makes gzip only", absent);
      return false;
    }
  }
}
