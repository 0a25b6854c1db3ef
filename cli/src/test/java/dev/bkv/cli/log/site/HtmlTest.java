package dev.bkv.cli.log.site;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every text the site shows is escaped; markup comes only from {@link Html}. */
class HtmlTest {

  @Test
  void textAndAttributesAreEscaped() {
    assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
        Html.esc("<script>alert('x')</script> & \"q\""));
    assertEquals("", Html.esc(null));
    assertEquals("<a href=\"epoch-1.html&quot;&gt;&lt;b\">&lt;b&gt;</a>",
        Html.link("epoch-1.html\"><b", "<b>"));
  }

  @Test
  void aHostileMemberIdOrLabelStaysText() {
    String page = new Html("t <i>").h(1, "fleet </h1><script>x()</script>")
        .ul(List.of("member <img src=x onerror=y()> added"))
        .table(List.of("<th>"), List.of(List.of(Html.code("<td>")))).pre(List.of("bkv & <x>"))
        .end();
    assertFalse(page.contains("<script>"), page);
    assertFalse(page.contains("<img"), page);
    assertTrue(page.contains("<title>t &lt;i&gt;</title>"), page);
    assertTrue(page.contains("member &lt;img src=x onerror=y()&gt; added"), page);
    assertTrue(page.contains("<pre>bkv &amp; &lt;x&gt;\n</pre>"), page);
  }
}
