package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two application servers in two JVMs on one real Terracotta server: one origin fill for a key
 * however many requests on both nodes want it, with the other node's waiters streaming the owner's
 * bytes; purges seen by the other node; and the lock of a node that dies (killed, releasing
 * nothing) taken over by the other after the lease.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TwoJvmClusterTest {
  private static final int SIZE = 1024 * 1024;
  private static TwoNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    nodes = new TwoNodes(TerracottaServer.shared().uri("two-jvms"), SIZE, 2_000);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void concurrentLookupsOnBothNodesCauseOneFillAndEveryReaderGetsTheWholeBody() throws Exception {
    for (int round = 0; round < 3; round++) {
      String key = "/two-jvms/collapse/" + round;
      nodes.a().send("collapse " + key + " 20");
      nodes.b().send("collapse " + key + " 20");
      TwoNodes.Round a = TwoNodes.Round.parse(nodes.a().answer(120));
      TwoNodes.Round b = TwoNodes.Round.parse(nodes.b().answer(120));
      assertEquals(1, a.fills() + b.fills(), "one origin fill in the whole cluster, round " + round);
      assertEquals(39, a.ok() + b.ok(), "every other lookup read the whole body, round " + round);
      assertEquals(0, a.bad() + b.bad());
    }
  }

  @Test
  void aPurgeOnOneNodeIsSeenOnTheOther() throws Exception {
    String key = "/two-jvms/purge";
    assertEquals(1, TwoNodes.Round.parse(nodes.a().ask("collapse " + key + " 1", 60)).fills());
    assertEquals("FOUND " + key + " ok", nodes.b().ask("lookup " + key, 60));
    assertEquals("PURGED " + key, nodes.a().ask("purge " + key, 60));
    assertEquals("MISSING " + key, nodes.b().ask("lookup " + key, 60));
  }

  @Test
  void theLockOfANodeThatDiesIsTakenOverByTheOtherAfterItsLease() throws Exception {
    // A node of its own, so that the shared pair survives this test.
    try (TwoNodes doomed = new TwoNodes(TerracottaServer.shared().uri("two-jvms"), SIZE, 2_000)) {
      String key = "/two-jvms/crash";
      assertEquals("OWNING " + key, doomed.a().ask("own " + key, 60));
      doomed.b().send("collapse " + key + " 8"); // these wait for the owner...
      doomed.a().crash(); // ...which dies holding the lock
      TwoNodes.Round b = TwoNodes.Round.parse(doomed.b().answer(120));
      assertEquals(1, b.fills(), "one waiter on the surviving node took the key over");
      assertEquals(7, b.ok(), "the others read its fill");
      assertEquals(0, b.bad());
    }
  }
}
