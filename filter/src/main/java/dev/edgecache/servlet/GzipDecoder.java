package dev.edgecache.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a gzip stream (RFC 1952) pushed to it in pieces of any size, as an origin writes it:
 * each member's header, its deflate data and its trailer, whose CRC-32 and length are checked;
 * members may follow one another, as {@code GZIPInputStream} reads them. Bytes after the last
 * member that start no other are ignored, as {@code GZIPInputStream} ignores them.
 */
final class GzipDecoder {
  /** The bytes are not a whole gzip stream: the origin's body is broken, whoever reads it. */
  static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;

    Malformed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private enum Part { HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, TRAILER, BETWEEN, TRAILING }

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] fixed = new byte[10];
  private final byte[] decoded = new byte[16 * 1024];
  private Part part = Part.HEADER;
  /** Bytes gathered of the fixed-size piece being read (header, extra length, trailer). */
  private int have;
  /** Header flags still to be read past. */
  private int flags;
  /** Bytes of the extra field, or of the header CRC, still to skip. */
  private int skip;
  private long size;

  /** Decodes {@code len} bytes of {@code b} from {@code off}, appending what they decode to into {@code out}. */
  void decode(byte[] b, int off, int len, ByteArrayOutputStream out) throws Malformed {
    int end = off + len;
    while (off < end) {
      switch (part) {
        case HEADER -> {
          off = gather(b, off, end, 10);
          if (have == 10) {
            if ((fixed[0] & 0xff) != 0x1f || (fixed[1] & 0xff) != 0x8b || fixed[2] != 8) {
              throw new Malformed("not a gzip stream", null);
            }
            flags = fixed[3] & 0xff;
            if ((flags & 0xe0) != 0) {
              throw new Malformed("a gzip header with reserved flags", null);
            }
            have = 0;
            part = nextHeaderPart();
          }
        }
        case EXTRA_LENGTH -> {
          off = gather(b, off, end, 2);
          if (have == 2) {
            skip = (fixed[0] & 0xff) | (fixed[1] & 0xff) << 8;
            have = 0;
            part = Part.EXTRA;
          }
        }
        case EXTRA, HEADER_CRC -> {
          int n = Math.min(skip, end - off);
          off += n;
          skip -= n;
          if (skip == 0) {
            part = nextHeaderPart();
          }
        }
        case NAME, COMMENT -> {
          while (off < end) {
            if (b[off++] == 0) {
              part = nextHeaderPart();
              break;
            }
          }
        }
        case DEFLATE -> off = inflate(b, off, end, out);
        case TRAILER -> {
          off = gather(b, off, end, 8);
          if (have == 8) {
            if (le32(0) != crc.getValue() || le32(4) != (size & 0xffffffffL)) {
              throw new Malformed("a gzip member's check does not match its data", null);
            }
            have = 0;
            part = Part.BETWEEN;
          }
        }
        case BETWEEN -> {
          // another member, or bytes that start none (padding), which end the stream
          part = (b[off] & 0xff) == 0x1f ? Part.HEADER : Part.TRAILING;
          inflater.reset();
          crc.reset();
          size = 0;
        }
        case TRAILING -> off = end;
      }
    }
  }

  /** Throws unless the stream ended with a whole member. */
  void finish() throws Malformed {
    if (part != Part.BETWEEN && part != Part.TRAILING) {
      throw new Malformed("the gzip stream ended inside a member", null);
    }
  }

  /** Frees the inflater's native memory. */
  void close() {
    inflater.end();
  }

  private int inflate(byte[] b, int off, int end, ByteArrayOutputStream out) throws Malformed {
    inflater.setInput(b, off, end - off);
    try {
      while (true) {
        int n = inflater.inflate(decoded);
        if (n > 0) {
          crc.update(decoded, 0, n);
          size += n;
          out.write(decoded, 0, n);
        } else if (inflater.finished()) {
          part = Part.TRAILER;
          return end - inflater.getRemaining();
        } else if (inflater.needsInput()) {
          return end; // all taken: nothing of the caller's array is kept
        } else if (inflater.needsDictionary()) {
          throw new Malformed("a gzip member that needs a preset dictionary", null);
        }
      }
    } catch (DataFormatException e) {
      throw new Malformed("the gzip data does not decode: " + e.getMessage(), e);
    }
  }

  /** Copies bytes into the fixed buffer until it holds {@code want}; returns the new offset. */
  private int gather(byte[] b, int off, int end, int want) {
    int n = Math.min(want - have, end - off);
    System.arraycopy(b, off, fixed, have, n);
    have += n;
    return off + n;
  }

  /** The header part after the ones read, by the flags left; the data once none is left. */
  private Part nextHeaderPart() {
    if ((flags & FEXTRA) != 0) {
      flags &= ~FEXTRA;
      return Part.EXTRA_LENGTH;
    }
    if ((flags & FNAME) != 0) {
      flags &= ~FNAME;
      return Part.NAME;
    }
    if ((flags & FCOMMENT) != 0) {
      flags &= ~FCOMMENT;
      return Part.COMMENT;
    }
    if ((flags & FHCRC) != 0) {
      flags &= ~FHCRC;
      skip = 2;
      return Part.HEADER_CRC;
    }
    return Part.DEFLATE;
  }

  private long le32(int at) {
    return (fixed[at] & 0xffL) | (fixed[at + 1] & 0xffL) << 8 | (fixed[at + 2] & 0xffL) << 16
        | (fixed[at + 3] & 0xffL) << 24;
  }
}
