package io.glidepath.examples.demo.report;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack-style emoji shortcodes ({@code :rotating_light:}) in notification texts: the ones {@code
 * WebhookNotifier} writes become their emoji, any other is left out, so the report never shows a
 * raw shortcode.
 */
final class Shortcodes {
  /** The shortcodes WebhookNotifier writes, as HTML character references. */
  static final Map<String, String> KNOWN =
      Map.of(
          "rotating_light", "&#x1F6A8;",
          "white_check_mark", "&#x2705;",
          "double_vertical_bar", "&#x23F8;&#xFE0F;");

  private static final Pattern SHORTCODE = Pattern.compile(":([a-z][a-z0-9_+-]*):");

  private Shortcodes() {}

  /**
   * {@code html} (already escaped) with each shortcode replaced by its emoji, or removed (with one
   * following space) when it is not a known one.
   */
  static String render(String html) {
    Matcher m = SHORTCODE.matcher(html);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(html, last, m.start());
      String emoji = KNOWN.get(m.group(1));
      last = m.end();
      if (emoji != null) {
        out.append(emoji);
      } else if (last < html.length() && html.charAt(last) == ' ') {
        last++;
      }
    }
    return out.append(html, last, html.length()).toString();
  }
}
