package dev.edgecache.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The last byte of a declared length reaches readers only once the body is complete: a client that
 * has every byte then finds the object committed when it asks again at once.
 */
class DeclaredLastByteTest {
  @Test
  void aReaderGetsAllButTheLastByteUntilTheBodyIsComplete() throws Exception {
    Body body = new Body(10);
    BodyReader reader = new BodyReader(body);
    body.append(ByteBuffer.wrap(new byte[6]));
    assertEquals(6, reader.readNow().remaining());
    body.append(ByteBuffer.wrap(new byte[4]));
    assertEquals(3, reader.readNow().remaining(), "all but the declared length's last byte");
    assertEquals(0, reader.readNow().remaining(), "the last byte waits for the commit");
    AtomicInteger told = new AtomicInteger();
    body.whenReadable(9, -1, told::incrementAndGet);
    assertEquals(0, told.get(), "no reader is woken for a byte it may not have yet");
    body.complete();
    assertEquals(1, told.get());
    assertEquals(1, reader.readNow().remaining());
    assertNull(reader.readNow());
  }

  @Test
  void aBodyOfUnknownLengthIsReadAsItIsWritten() throws Exception {
    Body body = new Body(-1);
    BodyReader reader = new BodyReader(body);
    body.append(ByteBuffer.wrap(new byte[10]));
    assertEquals(10, reader.readNow().remaining());
  }
}
