package io.glidepath.appset.internal;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import io.glidepath.appset.internal.gotemplate.Functions;
import io.glidepath.appset.internal.gotemplate.GoTemplate;
import io.glidepath.appset.internal.gotemplate.GoTemplate.MissingKey;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Options;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo CD's template rendering: every string of a template (map keys too) rendered with the
 * parameters, by fasttemplate ({@code {{ key }}}, unknown keys left as written) or by Go's
 * text/template with Sprig ({@code goTemplate: true}). Parsed Go templates are cached. Thread-safe.
 */
public final class TemplateRenderer {
  private static final int CACHE_LIMIT = 10_000;
  // Go's regexp ".*{{.*}}.*": both delimiters on one line
  private static final Pattern TEMPLATED = Pattern.compile(".*\\{\\{.*}}.*");

  private final boolean go;
  private final Options options;
  private final Map<String, GoTemplate> cache = new ConcurrentHashMap<>();

  public TemplateRenderer(boolean goTemplate, List<String> goTemplateOptions) {
    this.go = goTemplate;
    MissingKey m = MissingKey.DEFAULT;
    for (String o : goTemplateOptions) {
      switch (o) {
        case "missingkey=error" -> m = MissingKey.ERROR;
        case "missingkey=zero" -> m = MissingKey.ZERO;
        default -> m = MissingKey.DEFAULT;
      }
    }
    this.options = Options.DEFAULT.withMissingKey(m);
  }

  public boolean go() {
    return go;
  }

  /** Renders one string. */
  public String replace(String template, Map<String, Object> params) {
    if (go) {
      GoTemplate t = cache.get(template);
      if (t == null) {
        try {
          t = GoTemplate.parse(template, Functions.names());
        } catch (TemplateException e) {
          throw new TemplateException(
              e.kind(), "failed to parse template " + template + ": " + e.getMessage());
        }
        if (cache.size() < CACHE_LIMIT) {
          cache.put(template, t);
        }
      }
      try {
        return t.execute(params, options);
      } catch (TemplateException e) {
        throw new TemplateException(
            e.kind(), "failed to execute go template " + template + ": " + e.getMessage());
      }
    }
    return fastTemplate(template, params);
  }

  /** valyala/fasttemplate with Argo CD's tag function: string parameters only, else kept. */
  static String fastTemplate(String template, Map<String, Object> params) {
    if (!TEMPLATED.matcher(template).find()) {
      return template;
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (true) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        b.append(template, i, template.length());
        return b.toString();
      }
      b.append(template, i, open);
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        throw new TemplateException(
            Kind.PARSE,
            "invalid template: Cannot find end tag=\"}}\" in the template=\""
                + template
                + "\" starting from \""
                + template.substring(open + 2)
                + "\"");
      }
      String tag = template.substring(open + 2, close);
      Object v = params.get(tag.strip());
      if (!tag.isBlank() && v instanceof String s) {
        b.append(s);
      } else {
        b.append("{{").append(tag).append("}}");
      }
      i = close + 2;
    }
  }

  /** A copy of {@code node} with every string and map key rendered. */
  public JsonNode deepReplace(JsonNode node, Map<String, Object> params) {
    return deepReplace(node, params, 0);
  }

  private JsonNode deepReplace(JsonNode node, Map<String, Object> params, int depth) {
    if (depth > 100) {
      throw new TemplateException(Kind.LIMIT, "template nests more than 100 levels deep");
    }
    if (node.isString()) {
      return Yaml.mapper().getNodeFactory().stringNode(replace(node.asString(), params));
    }
    if (node.isObject()) {
      ObjectNode out = Yaml.mapper().createObjectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getValue().isNull()) {
          continue; // Argo CD skips nil map values
        }
        out.set(replace(e.getKey(), params), deepReplace(e.getValue(), params, depth + 1));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Yaml.mapper().createArrayNode();
      for (JsonNode n : node) {
        out.add(deepReplace(n, params, depth + 1));
      }
      return out;
    }
    return node.deepCopy();
  }

  /**
   * A strategic merge patch of an Application without merge keys: objects merge, lists and scalars
   * replace, null deletes.
   */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = (ObjectNode) target.deepCopy();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else if (out.has(e.getKey())) {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}
