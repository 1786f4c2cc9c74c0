package io.glidepath.core.internal.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.databind.JsonNode;

/**
 * Writes Jackson trees as block-style YAML that kubectl reads back to the same values: strings that
 * YAML 1.1 would read as something else ({@code yes}, {@code 0644}, {@code 1e3}, {@code ~}) are
 * quoted, multi-line strings use literal blocks, indentation is two spaces.
 */
public final class YamlWriter {
  private static final DumpSettings SETTINGS =
      DumpSettings.builder()
          .setSchema(Yaml11Resolver.INSTANCE)
          .setDefaultFlowStyle(FlowStyle.BLOCK)
          .setIndent(2)
          .setWidth(Integer.MAX_VALUE)
          .setSplitLines(false)
          .setMaxSimpleKeyLength(1024)
          .build();

  private YamlWriter() {}

  /** One document, without a {@code ---} marker. */
  public static String write(JsonNode document) {
    StringBuilder out = new StringBuilder();
    new Dump(SETTINGS)
        .dumpNode(
            toNode(document),
            new StreamDataWriter() {
              @Override
              public void write(String str) {
                out.append(str);
              }

              @Override
              public void write(String str, int off, int len) {
                out.append(str, off, off + len);
              }
            });
    return out.toString();
  }

  /** Several documents separated by {@code ---} lines. */
  public static String writeAll(Iterable<? extends JsonNode> documents) {
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (JsonNode doc : documents) {
      if (!first) {
        sb.append("---\n");
      }
      first = false;
      sb.append(write(doc));
    }
    return sb.toString();
  }

  static Node toNode(JsonNode json) {
    if (json.isObject()) {
      List<NodeTuple> tuples = new ArrayList<>(json.size());
      json.forEachEntry((k, v) -> tuples.add(new NodeTuple(string(k), toNode(v))));
      return new MappingNode(Tag.MAP, tuples, json.isEmpty() ? FlowStyle.FLOW : FlowStyle.BLOCK);
    }
    if (json.isArray()) {
      List<Node> items = new ArrayList<>(json.size());
      for (JsonNode item : json) {
        items.add(toNode(item));
      }
      return new SequenceNode(Tag.SEQ, items, json.isEmpty() ? FlowStyle.FLOW : FlowStyle.BLOCK);
    }
    if (json.isString()) {
      return string(json.stringValue());
    }
    if (json.isNull() || json.isMissingNode()) {
      return new ScalarNode(Tag.NULL, "null", ScalarStyle.PLAIN);
    }
    if (json.isBoolean()) {
      return new ScalarNode(Tag.BOOL, json.booleanValue() ? "true" : "false", ScalarStyle.PLAIN);
    }
    if (json.isIntegralNumber()) {
      return new ScalarNode(Tag.INT, json.bigIntegerValue().toString(), ScalarStyle.PLAIN);
    }
    if (json.isNumber()) {
      return new ScalarNode(Tag.FLOAT, formatFloat(json.doubleValue()), ScalarStyle.PLAIN);
    }
    if (json.isBinary()) {
      return string(java.util.Base64.getEncoder().encodeToString(json.binaryValue()));
    }
    return string(json.asString());
  }

  private static ScalarNode string(String value) {
    ScalarStyle style;
    if (needsEscapes(value)) {
      // NEL, LS and PS break lines for a YAML reader and a leading BOM is dropped as a byte order
      // mark; only escapes in double quotes keep them
      style = ScalarStyle.DOUBLE_QUOTED;
    } else if (value.indexOf('\n') >= 0) {
      style = ScalarStyle.LITERAL;
    } else if ("<<".equals(value)) {
      style = ScalarStyle.SINGLE_QUOTED; // read plain, "<<" is YAML's merge key
    } else {
      style = ScalarStyle.PLAIN;
    }
    return new ScalarNode(Tag.STR, true, value, style, Optional.empty(), Optional.empty());
  }

  private static boolean needsEscapes(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
        return true;
      }
    }
    return false;
  }

  static String formatFloat(double d) {
    if (Double.isNaN(d)) {
      return ".nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    return Double.toString(d);
  }
}
