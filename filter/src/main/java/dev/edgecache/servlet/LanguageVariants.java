package dev.edgecache.servlet;

import dev.edgecache.CacheKey;
import dev.edgecache.http.AcceptLanguage;
import dev.edgecache.http.ContentCoding;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a request's {@code Accept-Language} selects among the variants of a response that varies
 * on it, so that clients asking for the same language share one variant rather than one per
 * spelling of the field. As Fastly's {@code accept.language_lookup}, in one of two ways:
 *
 * <ul>
 *   <li><b>Configured</b> ({@code vary-languages=en,de,fr}): the key is the language RFC 4647's
 *       lookup picks among those the application serves, else the first (the default); the
 *       application is shown that language as the request's {@code Accept-Language}, so that
 *       what it answers is what the key says.
 *   <li><b>Learned</b> (the default): the key is the field normalised ({@link
 *       AcceptLanguage#variantKey}); and once the origin was seen to answer a field with one
 *       {@code Content-Language}, that language is the key of every request with the same field,
 *       and of every request whose one best range is a language the origin serves. What is
 *       learned is kept per URL, for a bounded number of URLs, and only from responses that vary
 *       on nothing but the request's languages and codings: another selecting field could change
 *       the origin's choice of language.
 * </ul>
 *
 * Thread-safe.
 */
final class LanguageVariants {
  /** The most URLs whose origin's languages are remembered; the least recently asked go first. */
  static final int MAX_URLS = 10_000;
  /** The most languages and fields remembered of one URL. */
  static final int MAX_PER_URL = 32;

  private final List<String> configured;
  private final Map<CacheKey, Learned> learned = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, Learned> eldest) {
      return size() > MAX_URLS;
    }
  };

  /** @param configured the languages the application serves, lower case, the default first; empty to learn them */
  LanguageVariants(List<String> configured) {
    this.configured = List.copyOf(configured);
  }

  /** Whether the languages were configured rather than learned. */
  boolean configured() {
    return !configured.isEmpty();
  }

  /** What the variant key reads of {@code values}, the request's {@code Accept-Language} lines, for {@code url}. */
  List<String> keyOf(CacheKey url, List<String> values) {
    if (configured()) {
      return List.of(AcceptLanguage.languageKey(chosen(values)));
    }
    if (values.isEmpty()) {
      return values; // told apart from every field sent
    }
    AcceptLanguage asked = AcceptLanguage.parse(values);
    String normalised = asked.variantKey();
    if (!asked.readable()) {
      return List.of(normalised);
    }
    Optional<String> language;
    synchronized (learned) {
      Learned l = learned.get(url);
      language = l == null ? Optional.empty()
          : Optional.ofNullable(l.answers.get(normalised)).or(() -> asked.onlyChoice(l.served));
    }
    return List.of(language.map(AcceptLanguage::languageKey).orElse(normalised));
  }

  /** The configured language the request's ranges pick, else the default. */
  private String chosen(List<String> values) {
    return AcceptLanguage.parse(values).lookup(configured).orElse(configured.get(0));
  }

  /**
   * Notes how the origin answered a request for {@code url} whose {@code Accept-Language} lines
   * were {@code asked}: with {@code contentLanguage}, under the response's {@code varyRule}
   * (lower-case names). Called before the response is stored, so that it is stored under the
   * key it teaches.
   */
  void learn(CacheKey url, List<String> asked, List<String> varyRule, List<String> contentLanguage) {
    if (configured() || asked.isEmpty() || !varyRule.contains("accept-language")) {
      return;
    }
    for (String name : varyRule) {
      if (!name.equals("accept-language") && !name.equals("accept-encoding") && !name.equals(ContentCoding.CODING_FIELD)) {
        return;
      }
    }
    Optional<String> language = AcceptLanguage.contentLanguage(contentLanguage);
    AcceptLanguage parsed = AcceptLanguage.parse(asked);
    if (language.isEmpty() || !parsed.readable()) {
      return;
    }
    synchronized (learned) {
      learned.computeIfAbsent(url, u -> new Learned()).add(parsed.variantKey(), language.get());
    }
  }

  /** {@code req} as the application is shown it: with the configured language it picks, if languages are configured. */
  HttpServletRequest shown(HttpServletRequest req) {
    return configured() ? new ChosenLanguageRequest(req, chosen(CachedResponses.list(req.getHeaders("Accept-Language"))))
        : req;
  }

  /** What the origin of one URL was seen to answer. */
  private static final class Learned {
    final Set<String> served = new LinkedHashSet<>();
    final Map<String, String> answers = new LinkedHashMap<>();

    void add(String field, String language) {
      answers.remove(field);
      answers.put(field, language); // most recent last: the eldest goes first
      if (answers.size() > MAX_PER_URL) {
        answers.remove(answers.keySet().iterator().next());
      }
      served.remove(language);
      served.add(language);
      if (served.size() > MAX_PER_URL) {
        served.remove(served.iterator().next());
      }
    }
  }
}
