package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.testing.BundleFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidationBundleTest {

  @Test
  void textRoundTripsAndHashChains() throws Exception {
    BundleFixture f = new BundleFixture(1);
    BundleFixture.Fleet fleet = f.fleet(3);
    ValidationBundle one = BundleFixture.bundle(fleet, 1, null);
    ValidationBundle two = BundleFixture.bundle(fleet, 2, one);
    String text = two.toText();
    assertTrue(text.startsWith("bkv.dev/validation-bundle/v1\nfleet dev-fleet\nepoch 2\n"
        + "not-before 2026-11-03T00:00:00Z\nnot-after 2026-12-03T00:00:00Z\nprev "
        + one.hash().toHex() + "\n"), text);
    assertTrue(one.toText().contains("\nprev none\n"));
    assertEquals(two, ValidationBundle.parse(text));
    assertEquals(ValidationBundle.hashOf(one.toText()), two.prev());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no final newline|member-3 \\n$|",
      "trailing blank line|\\n$|\\n\\n",
      "leading zero epoch|epoch 2|epoch 02",
      "two spaces|fleet dev-fleet|fleet  dev-fleet",
      "fractional time|00:00:00Z\\nnot-after|00:00:00.5Z\\nnot-after",
      "uppercase hex|evidence ([0-9a-f])|evidence A",
      "wrong origin|validation-bundle/v1|validation-bundle/v2",
      "prev none for epoch 2|prev [0-9a-f]{64}|prev none",
      "unsorted members|member-1|member-9",
      "key off the curve|ake 04[0-9a-f]{8}|ake 0400000000",
      "unknown field|\\nake |\\nextra 1\\nake ",
  })
  void strictParseRefuses(String what, String regex, String replacement) throws Exception {
    BundleFixture f = new BundleFixture(2);
    BundleFixture.Fleet fleet = f.fleet(3);
    String good = BundleFixture.bundle(fleet, 2, BundleFixture.bundle(fleet, 1, null)).toText();
    String bad = what.equals("no final newline") ? good.substring(0, good.length() - 1)
        : good.replaceFirst(regex, (replacement == null ? "" : replacement)
            .replace("\\n", "\n"));
    assertTrue(!bad.equals(good), what + ": the mutation must change the text");
    MalformedBundleException e = assertThrows(MalformedBundleException.class,
        () -> ValidationBundle.parse(bad), what);
    assertEquals(BundleException.Reason.MALFORMED, e.reason());
  }
}
