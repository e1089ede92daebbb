package dev.edgecache.servlet;

import static dev.edgecache.servlet.ContentCodingFilterTest.TEXT;
import static dev.edgecache.servlet.ContentCodingFilterTest.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A gzip stream decoded as it is pushed, in pieces of any size (RFC 1952). */
class GzipDecoderTest {
  private static byte[] decode(byte[] gzip, int piece) throws IOException {
    GzipDecoder d = new GzipDecoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < gzip.length; at += piece) {
      d.decode(gzip, at, Math.min(piece, gzip.length - at), out);
    }
    d.finish();
    d.close();
    return out.toByteArray();
  }

  @Test
  void decodesWhateverThePiecesAre() throws IOException {
    byte[] zipped = gzip(TEXT);
    for (int piece : new int[] {1, 2, 7, 10, 11, 100, zipped.length}) {
      assertArrayEquals(TEXT, decode(zipped, piece), "pieces of " + piece);
    }
  }

  @Test
  void readsEveryOptionalHeaderPartAndMembersThatFollowOneAnother() throws IOException {
    byte[] plain = gzip("second".getBytes(StandardCharsets.US_ASCII));
    // FEXTRA, FNAME, FCOMMENT and FHCRC before the data, as RFC 1952 §2.3 orders them
    byte[] raw = gzip(TEXT);
    ByteArrayOutputStream withAll = new ByteArrayOutputStream();
    withAll.write(raw, 0, 3);
    withAll.write(2 | 4 | 8 | 16);
    withAll.write(raw, 4, 6);
    withAll.write(new byte[] {3, 0, 'a', 'b', 'c'});
    withAll.write("name.txt\0".getBytes(StandardCharsets.US_ASCII));
    withAll.write("a comment\0".getBytes(StandardCharsets.US_ASCII));
    withAll.write(new byte[] {0x12, 0x34});
    withAll.write(raw, 10, raw.length - 10);
    withAll.write(plain);
    byte[] expected = new byte[TEXT.length + 6];
    System.arraycopy(TEXT, 0, expected, 0, TEXT.length);
    System.arraycopy("second".getBytes(StandardCharsets.US_ASCII), 0, expected, TEXT.length, 6);
    for (int piece : new int[] {1, 3, 1000}) {
      assertArrayEquals(expected, decode(withAll.toByteArray(), piece), "pieces of " + piece);
    }
  }

  @Test
  void aStreamThatEndsMidwayOrLiesIsMalformed() throws IOException {
    byte[] zipped = gzip(TEXT);
    assertThrows(GzipDecoder.Malformed.class, () -> decode(Arrays.copyOf(zipped, zipped.length - 3), 5));
    byte[] badCrc = zipped.clone();
    badCrc[badCrc.length - 6] ^= 1;
    assertThrows(GzipDecoder.Malformed.class, () -> decode(badCrc, 64));
    assertThrows(GzipDecoder.Malformed.class, () -> decode("plain text".getBytes(StandardCharsets.US_ASCII), 4));
  }
}
