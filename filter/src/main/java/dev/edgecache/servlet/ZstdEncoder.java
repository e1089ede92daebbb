package dev.edgecache.servlet;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The cache's zstd encoder (RFC 8878), for {@link EncodingSink}: the only class that names
 * zstd-jni, loaded only where {@link EdgeCodings#zstd} found it.
 */
final class ZstdEncoder {
  /**
   * A body is encoded once and served many times: level 9, smaller than zstd's default of 3
   * (which came out larger than gzip on the HTML of load run 12) and still tens of MB/s.
   */
  private static final int LEVEL = 9;

  private ZstdEncoder() {}

  /** An encoder writing one zstd frame, with its checksum, into {@code target}. */
  static OutputStream on(OutputStream target) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(target, LEVEL);
    zstd.setChecksum(true); // RFC 8878 §3.1.1: a damaged body is caught by its reader
    return zstd;
  }
}
