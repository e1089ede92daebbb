package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token from the setting, a file, a system property naming a file, or the environment. */
class AdminTokensTest {
  private static final Map<String, String> NONE = Map.of();

  @Test
  void theTokenComesFromTheFirstSourceGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "  from-the-file-0123456789  \nsecond line ignored\n");
    Map<String, String> env = Map.of(AdminTokens.ENVIRONMENT, "from-the-environment-0123");
    Map<String, String> props = Map.of(AdminTokens.FILE_PROPERTY, file.toString());
    assertEquals("given-0123456789", AdminTokens.resolve("given-0123456789", null, props::get, env::get));
    assertEquals("from-the-file-0123456789", AdminTokens.resolve(null, file.toString(), NONE::get, env::get));
    assertEquals("from-the-file-0123456789", AdminTokens.resolve(null, null, props::get, env::get));
    assertEquals("from-the-environment-0123", AdminTokens.resolve(null, null, NONE::get, env::get));
    assertNull(AdminTokens.resolve(null, "", NONE::get, NONE::get));
  }

  @Test
  void aBadSourceSaysWhatAndHowToFixIt(@TempDir Path dir) throws Exception {
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> AdminTokens.resolve("given-0123456789", "f", NONE::get, NONE::get));
    assertTrue(both.getMessage().contains("give one"), both.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> AdminTokens.resolve(null, dir.resolve("absent").toString(), NONE::get, NONE::get));
    assertTrue(missing.getMessage().contains("cannot be read"), missing.getMessage());
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> AdminTokens.resolve(null, empty.toString(), NONE::get, NONE::get));
    assertTrue(blank.getMessage().contains("put the token on its first line"), blank.getMessage());
  }

  @Test
  void theFilterReadsItsTokenFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "filter-token-0123456789\n");
    FilterSettings s = FilterSettings.fromInitParams(Map.of("admin-token-file", file.toString())::get);
    assertEquals("filter-token-0123456789", s.adminToken());
  }
}
