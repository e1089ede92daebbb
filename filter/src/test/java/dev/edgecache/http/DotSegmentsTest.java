package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3986 §5.2.4's removal of dot segments, on the decoded paths purges name. */
class DotSegmentsTest {
  @Test
  void dotSegmentsResolveAsTheRfcSays() {
    assertEquals("/q", TargetForm.withoutDotSegments("/p/../q"));
    assertEquals("/q", TargetForm.withoutDotSegments("/./q"));
    assertEquals("/a/", TargetForm.withoutDotSegments("/a/b/.."));
    assertEquals("/a/", TargetForm.withoutDotSegments("/a/."));
    assertEquals("/", TargetForm.withoutDotSegments("/../.."));
    assertEquals("/g", TargetForm.withoutDotSegments("/../g"));
    assertEquals("/a/c/g", TargetForm.withoutDotSegments("/a/b/../c/./g"));
    assertEquals("/a.b/..c/d..", TargetForm.withoutDotSegments("/a.b/..c/d.."));
    assertEquals("/", TargetForm.withoutDotSegments("/"));
  }
}
