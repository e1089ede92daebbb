package dev.edgecache.cdi;

import dev.edgecache.kv.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Java serialisation, the default codec for a {@code KeyValueCache<V>} whose {@code V} is
 * {@link Serializable} and has no {@code Codec<V>} bean. It reads only what this application
 * wrote into its own cache, and checks that what it read is a {@code V}; applications whose
 * cache is shared with code they do not trust should produce a codec of their own.
 *
 * @param <V> the value type
 */
final class SerializableCodec<V> implements Codec<V> {
  private final Class<V> type;

  SerializableCodec(Class<V> type) {
    this.type = type;
  }

  @Override
  public byte[] encode(V value) {
    if (!(value instanceof Serializable)) {
      throw new IllegalArgumentException("cannot cache a " + (value == null ? "null" : value.getClass().getName())
          + ": not Serializable; produce a Codec bean for it");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  @Override
  public V decode(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        // The application's classes, not this library's loader's: in a WAR they differ.
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader()
            : Thread.currentThread().getContextClassLoader();
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          return super.resolveClass(desc);
        }
      }
    }) {
      return type.cast(in.readObject());
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("cannot read a cached " + type.getName() + ": " + e.getMessage(), e);
    }
  }
}
