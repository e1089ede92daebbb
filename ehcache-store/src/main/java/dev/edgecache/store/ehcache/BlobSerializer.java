package dev.edgecache.store.ehcache;

import java.nio.ByteBuffer;
import org.ehcache.spi.serialization.Serializer;

/**
 * Serialises {@link Blob}s as their bytes. Reads never move the position of the buffer they are
 * given (they work on a duplicate): Ehcache's clustered tier shares buffers between threads, and
 * its own serializers, which move the position, lose data under concurrent reads. No Java
 * serialisation: whatever another client wrote, this only ever yields bytes.
 */
public final class BlobSerializer implements Serializer<Blob> {
  /** Ehcache instantiates serializers with their class loader. */
  public BlobSerializer(ClassLoader loader) {}

  public BlobSerializer() {}

  @Override
  public ByteBuffer serialize(Blob object) {
    return ByteBuffer.wrap(object.bytes());
  }

  @Override
  public Blob read(ByteBuffer binary) {
    ByteBuffer view = binary.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return Blob.wrap(bytes);
  }

  @Override
  public boolean equals(Blob object, ByteBuffer binary) {
    return object.buffer().equals(binary.duplicate());
  }
}
