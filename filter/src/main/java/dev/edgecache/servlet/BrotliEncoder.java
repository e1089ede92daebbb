package dev.edgecache.servlet;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The cache's Brotli encoder (RFC 7932), for {@link EncodingSink}: the only class that names
 * Brotli4j, loaded only where {@link EdgeCodings#beyondGzip} found it with its native library.
 */
final class BrotliEncoder {
  /**
   * Quality 6, as nginx's Brotli module: the body is encoded while it streams to the client that
   * filled it, so the quality is one a fill keeps up with. On real pages, scripts and style
   * sheets it came out 7 to 10 % smaller than gzip at about gzip's speed; from quality 9 up it is
   * tens of times slower per byte (README, "Content codings").
   */
  private static final int QUALITY = 6;

  private BrotliEncoder() {}

  /** An encoder writing one Brotli stream into {@code target}; its flush ends a meta-block. */
  static OutputStream on(OutputStream target) throws IOException {
    // TEXT: only compressible types, text, JSON, JavaScript, XML and SVG, are encoded here
    return new BrotliOutputStream(target, new Encoder.Parameters().setQuality(QUALITY).setMode(Encoder.Mode.TEXT));
  }
}
