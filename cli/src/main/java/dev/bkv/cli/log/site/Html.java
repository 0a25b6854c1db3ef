package dev.bkv.cli.log.site;

import java.util.List;

/**
 * A small HTML writer for the log site: every text goes through {@link #esc}; markup is only what
 * the methods here write. No JavaScript; one inline style sheet.
 */
final class Html {
  private static final String STYLE = String.join("\n",
      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;"
          + "color:#1a1a1a;background:#fff}",
      "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}",
      "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;"
          + "text-align:left;vertical-align:top}th{background:#f2f2f2}",
      "code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f6f6f6;"
          + "padding:.6em;overflow-x:auto;border:1px solid #ddd}",
      ".hex{word-break:break-all}.ok{color:#11651f;font-weight:bold}"
          + ".fail{color:#a11212;font-weight:bold}.retired{color:#7a4b00;font-weight:bold}",
      "dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}"
          + "dd{margin:0}nav{margin-bottom:1em}");

  private final StringBuilder out = new StringBuilder();

  /** Escapes text for element content and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  Html(String title) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width\"><title>")
        .append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
  }

  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  Html h(int level, String text) {
    out.append("<h").append(level).append('>').append(esc(text)).append("</h").append(level)
        .append(">\n");
    return this;
  }

  Html p(String text) {
    out.append("<p>").append(esc(text)).append("</p>\n");
    return this;
  }

  /** A link to a page or file of the site (a relative path). */
  static String link(String href, String text) {
    return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  static String code(String text) {
    return "<code class=\"hex\">" + esc(text) + "</code>";
  }

  static String status(boolean ok) {
    return ok ? "<span class=\"ok\">verified</span>" : "<span class=\"fail\">FAILED</span>";
  }

  /** A definition list of (term, markup) pairs. */
  Html dl(List<String[]> rows) {
    out.append("<dl>\n");
    for (String[] r : rows) {
      out.append("<dt>").append(esc(r[0])).append("</dt><dd>").append(r[1]).append("</dd>\n");
    }
    out.append("</dl>\n");
    return this;
  }

  /** A table: header texts, then rows of markup cells. */
  Html table(List<String> header, List<List<String>> rows) {
    out.append("<table><tr>");
    header.forEach(t -> out.append("<th>").append(esc(t)).append("</th>"));
    out.append("</tr>\n");
    for (List<String> r : rows) {
      out.append("<tr>");
      r.forEach(c -> out.append("<td>").append(c).append("</td>"));
      out.append("</tr>\n");
    }
    out.append("</table>\n");
    return this;
  }

  /** A bulleted list of texts. */
  Html ul(List<String> items) {
    out.append("<ul>\n");
    items.forEach(t -> out.append("<li>").append(esc(t)).append("</li>\n"));
    out.append("</ul>\n");
    return this;
  }

  /** Commands to copy, one per line. */
  Html pre(List<String> lines) {
    out.append("<pre>");
    lines.forEach(l -> out.append(esc(l)).append('\n'));
    out.append("</pre>\n");
    return this;
  }

  String end() {
    return out.append("</body></html>\n").toString();
  }
}
