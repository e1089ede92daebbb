package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every name under the edge's configuration is known, or the start fails naming it. */
class ConfigNamesTest {
  private static ServletContext context(Map<String, String> params) {
    return (ServletContext) Proxy.newProxyInstance(ConfigNamesTest.class.getClassLoader(),
        new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getInitParameterNames" -> Collections.enumeration(params.keySet());
          case "getInitParameter" -> params.get((String) args[0]);
          default -> null;
        });
  }

  private static FilterConfig config(Map<String, String> initParams, Map<String, String> contextParams) {
    ServletContext context = context(contextParams);
    return (FilterConfig) Proxy.newProxyInstance(ConfigNamesTest.class.getClassLoader(),
        new Class<?>[] {FilterConfig.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getInitParameterNames" -> Collections.enumeration(initParams.keySet());
          case "getInitParameter" -> initParams.get((String) args[0]);
          case "getServletContext" -> context;
          case "getFilterName" -> "edge";
          default -> null;
        });
  }

  @Test
  void knownNamesPass() {
    assertDoesNotThrow(() -> ConfigNames.check(config(Map.of("status-ttl", "404=30"),
        Map.of("edgecache.admin-token", "x", "edgecache.store", "memory", "other.app.setting", "y"))));
  }

  @Test
  void aMisspelledInitParamOrContextParameterIsNamedWithTheNearestKnownName() {
    IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
        () -> ConfigNames.check(config(Map.of("stale-if-eror", "60"), Map.of())));
    assertTrue(init.getMessage().startsWith("unknown init-param 'stale-if-eror' (did you mean stale-if-error?); known: "),
        init.getMessage());
    IllegalArgumentException context = assertThrows(IllegalArgumentException.class,
        () -> ConfigNames.check(config(Map.of(), Map.of("edgecache.status-tl", "404=30"))));
    assertTrue(context.getMessage().startsWith(
        "unknown context parameter 'edgecache.status-tl' (did you mean edgecache.status-ttl?)"), context.getMessage());
    IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
        () -> ConfigNames.check(config(Map.of(), Map.of("edgecache.zzzzzzzzzzzz", "1"))));
    assertTrue(far.getMessage().startsWith("unknown context parameter 'edgecache.zzzzzzzzzzzz'; known: "), far.getMessage());
  }
}
