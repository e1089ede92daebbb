package dev.edgecache.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

/**
 * A request as the application is shown it when the deployment names the languages it serves
 * ({@link LanguageVariants}): its {@code Accept-Language} is the one language its key was made
 * of, and so are its locales, so that the response stored under that key is in that language.
 */
final class ChosenLanguageRequest extends HttpServletRequestWrapper {
  private final String language;

  ChosenLanguageRequest(HttpServletRequest req, String language) {
    super(req);
    this.language = language;
  }

  @Override
  public String getHeader(String name) {
    return isAcceptLanguage(name) ? language : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return isAcceptLanguage(name) ? Collections.enumeration(java.util.List.of(language)) : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    java.util.List<String> names = Collections.list(super.getHeaderNames());
    if (names.stream().noneMatch(ChosenLanguageRequest::isAcceptLanguage)) {
      names.add("Accept-Language");
    }
    return Collections.enumeration(names);
  }

  @Override
  public Locale getLocale() {
    return Locale.forLanguageTag(language);
  }

  @Override
  public Enumeration<Locale> getLocales() {
    return Collections.enumeration(java.util.List.of(getLocale()));
  }

  private static boolean isAcceptLanguage(String name) {
    return "accept-language".equalsIgnoreCase(name);
  }
}
