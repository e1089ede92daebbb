package dev.edgecache.internal;

import dev.edgecache.CacheKey;
import dev.edgecache.RequestHeaders;
import dev.edgecache.spi.StorageKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The variant key of a request under a vary rule: a SHA-256 digest of the rule's header names and
 * the request's values of them. Every name and value is length-prefixed, and an absent header is
 * told apart from an empty one, so two different requests never encode to the same bytes.
 */
final class VaryKeys {
  private VaryKeys() {}

  static StorageKey variant(CacheKey primary, List<String> varyRule, RequestHeaders headers) {
    if (varyRule.isEmpty()) {
      return StorageKey.of(primary);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    for (String name : varyRule) {
      putString(out, name);
      List<String> values = headers.values(name);
      putInt(out, values.size());
      for (String v : values) {
        putString(out, v);
      }
    }
    return StorageKey.of(primary, sha256(out.toByteArray()));
  }

  private static void putString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putInt(out, b.length);
    out.write(b, 0, b.length);
  }

  private static void putInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
