package dev.edgecache;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build of the edge cache, as Maven gave it. */
public final class EdgeCacheVersion {
  private static final String VERSION = read();

  private EdgeCacheVersion() {}

  /** The version, such as {@code 0.1.0-SNAPSHOT}; {@code unknown} if the build left none. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = EdgeCacheVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
