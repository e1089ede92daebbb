package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher of the test servers keeps the promise of the kit's script: a server that exits
 * with status 11 is started again, any other exit is final. A shell script stands in for the
 * server so that each exit is chosen.
 */
class TerracottaProcessTest {
  @TempDir
  Path dir;

  /** A stand-in that exits with {@code firstExit} on its first run and says {@code state} on its second. */
  private List<String> server(int firstExit, String state) {
    Path marker = dir.resolve("ran-once");
    String script = "if [ -f '" + marker + "' ]; then echo 'Moved to State[ " + state + " ]'; exec cat; "
        + "else touch '" + marker + "'; echo 'Moved to State[ ACTIVE-COORDINATOR ]'; exit " + firstExit + "; fi";
    return List.of("sh", "-c", script);
  }

  @Test
  void aServerThatAsksForARestartIsStartedAgain() throws Exception {
    TerracottaProcess p = TerracottaProcess.run("n2", server(TerracottaProcess.RESTART_REQUEST, "PASSIVE-STANDBY"));
    try {
      assertTrue(p.awaitState("PASSIVE-STANDBY", Duration.ofSeconds(30)), p.log());
      assertTrue(p.alive());
      assertTrue(p.log().contains("asking for a restart"), p.log());
    } finally {
      p.kill();
    }
  }

  @Test
  void anyOtherExitIsFinalAndEndsTheWait() throws Exception {
    TerracottaProcess p = TerracottaProcess.run("n2", server(1, "PASSIVE-STANDBY"));
    assertFalse(p.awaitState("PASSIVE-STANDBY", Duration.ofSeconds(30)), p.log());
    assertFalse(p.alive());
    assertTrue(p.log().contains("exited with status 1"), p.log());
  }

  @Test
  void aKilledServerIsNotStartedAgain() throws Exception {
    TerracottaProcess p = TerracottaProcess.run("n1", List.of("sh", "-c", "echo 'Moved to State[ ACTIVE-COORDINATOR ]'; exec cat"));
    assertTrue(p.awaitState("ACTIVE-COORDINATOR", Duration.ofSeconds(30)), p.log());
    p.kill();
    assertFalse(p.awaitState("PASSIVE-STANDBY", Duration.ofSeconds(30)));
    assertFalse(p.alive());
    assertEquals("ACTIVE-COORDINATOR", p.state());
  }
}
