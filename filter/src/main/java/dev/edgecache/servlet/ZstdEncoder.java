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
  /**
   * Level 9's own tables take about 10 MiB per encoder, one per fill under way. A 1 MiB window
   * and tables of 2^17 entries take under 1 MiB and came out within 0.2 % of its sizes on real
   * pages, scripts and style sheets (README, "Content codings"): a page is rarely larger. The
   * window stays well within the 8 MiB that HTTP's zstd coding allows its decoders (RFC 9659 §3).
   */
  private static final int WINDOW_LOG = 20;
  private static final int TABLE_LOG = 17;

  private ZstdEncoder() {}

  /** An encoder writing one zstd frame, with its checksum, into {@code target}. */
  static OutputStream on(OutputStream target) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(target, LEVEL);
    zstd.setChecksum(true); // RFC 8878 §3.1.1: a damaged body is caught by its reader
    zstd.setWindowLog(WINDOW_LOG);
    zstd.setHashLog(TABLE_LOG);
    zstd.setChainLog(TABLE_LOG);
    return zstd;
  }
}
