/**
 * The edge cache: the core cache API ({@code dev.edgecache}), the key-value face
 * ({@code dev.edgecache.kv}), the storage SPI ({@code dev.edgecache.spi}, with parts stores share in
 * {@code dev.edgecache.spi.support}), the in-memory store
 * ({@code dev.edgecache.store.memory}) and the servlet filter ({@code dev.edgecache.servlet}). The
 * HTTP policy ({@code dev.edgecache.http}) and the core's implementation
 * ({@code dev.edgecache.internal}) are not exported: they change as the rules do.
 */
@SuppressWarnings("requires-automatic") // Micrometer and OpenTelemetry name their modules in their manifests only
module dev.edgecache.filter {
  requires transitive jakarta.servlet;
  requires java.logging;
  requires java.management;
  requires static micrometer.core;
  requires static io.opentelemetry.api;
  requires static io.opentelemetry.context;
  requires static com.github.luben.zstd_jni;
  requires static com.aayushatharva.brotli4j;

  exports dev.edgecache;
  exports dev.edgecache.kv;
  exports dev.edgecache.spi;
  exports dev.edgecache.spi.support;
  exports dev.edgecache.servlet;
  exports dev.edgecache.store.memory;
}
