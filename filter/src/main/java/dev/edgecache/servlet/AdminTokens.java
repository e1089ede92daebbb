package dev.edgecache.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the admin token comes from, so that it need not be on a command line every local user can
 * read ({@code ps}), as Varnish's {@code -S secretfile}: the {@code admin-token} setting itself; or
 * a file named by {@code admin-token-file} or, failing that, the system property
 * {@value #FILE_PROPERTY}, whose first line is the token; or, failing those, the environment
 * variable {@value #ENVIRONMENT}.
 */
public final class AdminTokens {
  /** The system property that names a token file. */
  public static final String FILE_PROPERTY = "edgecache.admin-token-file";
  /** The environment variable that holds the token. */
  public static final String ENVIRONMENT = "EDGECACHE_ADMIN_TOKEN";

  private AdminTokens() {}

  /**
   * The token, or null for none.
   *
   * @param token the token as given, or null
   * @param file the name of a file holding it, or null
   * @param property a system property by name
   * @param environment an environment variable by name
   * @throws IllegalArgumentException if both a token and a file are given, or the file cannot be
   *     read or holds no token, saying which and how to fix it
   */
  public static String resolve(String token, String file, Function<String, String> property,
      Function<String, String> environment) {
    boolean hasToken = token != null && !token.isBlank();
    boolean hasFile = file != null && !file.isBlank();
    if (hasToken && hasFile) {
      throw new IllegalArgumentException("admin-token and admin-token-file are both given: give one");
    }
    if (hasToken) {
      return token;
    }
    String named = hasFile ? file : property.apply(FILE_PROPERTY);
    if (named != null && !named.isBlank()) {
      return read(Path.of(named.trim()));
    }
    String env = environment.apply(ENVIRONMENT);
    return env == null || env.isBlank() ? null : env.trim();
  }

  private static String read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("admin-token-file " + file + " cannot be read (" + e.getClass().getSimpleName()
          + "): give a readable file whose first line is the token");
    }
    String first = text.lines().findFirst().orElse("").trim();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("admin-token-file " + file + " holds no token: put the token on its first line");
    }
    return first;
  }
}
