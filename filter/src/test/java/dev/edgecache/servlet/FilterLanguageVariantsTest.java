package dev.edgecache.servlet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Responses that vary on {@code Accept-Language}: one variant per language asked for rather than
 * per spelling of the field, learned from the origin's {@code Content-Language} or picked among
 * configured languages. The origin ({@code /lang}) serves English and German.
 */
class FilterLanguageVariantsTest {
  private final OriginServlet origin = new OriginServlet();
  private JettyHarness jetty;

  private void start(Map<String, String> params) throws Exception {
    jetty = JettyHarness.forRestAssured(origin, params);
  }

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  private static String get(String acceptLanguage) {
    var request = given();
    if (acceptLanguage != null) {
      request = request.header("Accept-Language", acceptLanguage);
    }
    return request.get("/lang").then().statusCode(200).extract().asString();
  }

  @Test
  void whatTheOriginAnswersALanguageWithKeysEveryRequestThatMustGetTheSame() throws Exception {
    start(Map.of());
    assertEquals("lang de 1 saw=fr, de;q=0.8 locale=fr", get("fr, de;q=0.8"));
    // the same field spelt otherwise: case, spaces, and the order of the members
    assertEquals("lang de 1 saw=fr, de;q=0.8 locale=fr", get("DE;q=0.80 ,  fr"));
    // its one best range is a language the origin serves: the origin answers German
    assertEquals("lang de 1 saw=fr, de;q=0.8 locale=fr", get("de"));
    assertEquals("lang de 1 saw=fr, de;q=0.8 locale=fr", get("fr;q=0.5, de"));
    assertEquals(1, origin.calls("/lang"));

    // a range the origin was never seen to answer is asked of it: here German again, stored anew
    assertEquals("lang de 2 saw=de-AT locale=de-AT", get("de-AT"));
    assertEquals("lang de 2 saw=de-AT locale=de-AT", get("de-at"));
    // two best ranges: which the origin picks is not known until it answers
    assertEquals("lang en 3 saw=en, de locale=en", get("en, de"));
    assertEquals("lang en 3 saw=en, de locale=en", get("en"));
    assertEquals("lang de 2 saw=de-AT locale=de-AT", get("de"));
    // a language the origin does not serve: its answer (English) is learned for that field
    assertEquals("lang en 4 saw=it locale=it", get("it"));
    assertEquals("lang en 4 saw=it locale=it", get("IT"));
    assertEquals("lang en 4 saw=it locale=it", get("en"));
    // no field, and a field that is not language ranges, are variants of their own
    assertEquals("lang en 5 saw=null locale=" + java.util.Locale.getDefault().toLanguageTag(), get(null));
    assertEquals(5, origin.calls("/lang"));
    String junk = get("en;q=2");
    assertEquals(6, origin.calls("/lang"), junk);
    assertEquals(junk, get("en;q=2"));
    assertEquals(6, origin.calls("/lang"));
  }

  @Test
  void configuredLanguagesKeyByLookupAndTheApplicationSeesTheLanguageItsKeyPicked() throws Exception {
    start(Map.of("vary-languages", "en, de"));
    assertEquals("lang de 1 saw=de locale=de", get("fr, de;q=0.8"));
    assertEquals("lang de 1 saw=de locale=de", get("de-AT"));
    assertEquals("lang de 1 saw=de locale=de", get("de-CH-x-private, en;q=0.1"));
    // nothing the application serves: the default, the first configured
    assertEquals("lang en 2 saw=en locale=en", get("fr"));
    assertEquals("lang en 2 saw=en locale=en", get(null));
    assertEquals("lang en 2 saw=en locale=en", get("en;q=2"));
    assertEquals("lang en 2 saw=en locale=en", get("en-GB, de;q=0.5"));
    assertEquals(2, origin.calls("/lang"));
  }

  @Test
  void aBadLanguageListIsRefusedAtStartWithItsName() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FilterSettings.fromInitParams(Map.of("vary-languages", "en, de_DE")::get));
    org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("vary-languages"));
    org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("de_DE"));
  }
}
