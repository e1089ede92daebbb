package dev.edgecache.servlet;

import dev.edgecache.http.KeyParams;
import dev.edgecache.http.QueryKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request as the application is shown it when the key leaves query parameters out and hides
 * them ({@link KeyParams#hidden}): its query string and its parameters without them, so that a
 * response stored under a key cannot depend on a parameter the key does not hold (THREATS 3).
 */
final class KeyedQueryRequest extends HttpServletRequestWrapper {
  private final String query;
  private final KeyParams params;
  private Map<String, String[]> parameters;

  private KeyedQueryRequest(HttpServletRequest req, String query, KeyParams params) {
    super(req);
    this.query = query;
    this.params = params;
  }

  /** {@code req} as the application may see it: itself when nothing is hidden. */
  static HttpServletRequest of(HttpServletRequest req, KeyParams params) {
    String raw = req.getQueryString();
    if (params.showsAll() || raw == null) {
      return req;
    }
    String visible = QueryKey.visible(raw, params);
    return Objects.equals(visible, raw) ? req : new KeyedQueryRequest(req, visible, params);
  }

  @Override
  public String getQueryString() {
    return query;
  }

  @Override
  public String getParameter(String name) {
    return params.hidden(name) ? null : super.getParameter(name);
  }

  @Override
  public String[] getParameterValues(String name) {
    return params.hidden(name) ? null : super.getParameterValues(name);
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    if (parameters == null) {
      Map<String, String[]> shown = new LinkedHashMap<>();
      super.getParameterMap().forEach((name, values) -> {
        if (!params.hidden(name)) {
          shown.put(name, values);
        }
      });
      parameters = Collections.unmodifiableMap(shown);
    }
    return parameters;
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(getParameterMap().keySet());
  }
}
