package io.glidepath.kustomize.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's image transformer: changes the name, tag or digest of every container image that
 * names the image, in any {@code containers} or {@code initContainers} list of any object (but
 * CustomResourceDefinitions) and in the fields the {@code images} field specs name.
 */
final class ImageTransformer {
  /** One {@code images} entry. */
  record Image(String name, String newName, String newTag, String digest, String tagSuffix) {}

  private ImageTransformer() {}

  static void apply(List<Res> ra, Image image, List<FieldSpec> specs) {
    Pattern match =
        Pattern.compile(
            "^"
                + Pattern.quote(image.name())
                + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$");
    for (Res r : ra) {
      if (r.kind().equals("CustomResourceDefinition")) {
        continue;
      }
      walkContainers(r.body, match, image);
      Gvk gvk = r.gvk();
      for (FieldSpec fs : specs) {
        if (!fs.applies(gvk)) {
          continue;
        }
        fs.apply(
            r.body,
            FieldSpec.Leaf.NONE,
            (parent, field) -> {
              JsonNode v = parent.get(field);
              if (v != null && v.isString()) {
                String updated = update(v.stringValue(), match, image);
                if (updated != null) {
                  parent.put(field, updated);
                }
              }
            });
      }
    }
  }

  private static void walkContainers(JsonNode node, Pattern match, Image image) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        JsonNode v = e.getValue();
        if ((key.equals("containers") || key.equals("initContainers")) && v.isArray()) {
          for (JsonNode c : v) {
            JsonNode img = c.get("image");
            if (c.isObject() && img != null && img.isString()) {
              String updated = update(img.stringValue(), match, image);
              if (updated != null) {
                ((ObjectNode) c).put("image", updated);
              }
            }
          }
        }
        walkContainers(v, match, image);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        walkContainers(item, match, image);
      }
    }
  }

  /** The new image reference, or null when {@code value} is not the image to change. */
  static String update(String value, Pattern match, Image image) {
    if (!match.matcher(value).matches()) {
      return null;
    }
    String[] parts = split(value);
    String name = parts[0];
    String tag = parts[1];
    String digest = parts[2];
    if (!image.newName().isEmpty()) {
      name = image.newName();
    }
    if (!image.newTag().isEmpty() && !image.digest().isEmpty()) {
      tag = image.newTag();
      digest = image.digest();
    } else if (!image.newTag().isEmpty()) {
      tag = image.newTag();
      digest = "";
    } else if (!image.digest().isEmpty()) {
      tag = "";
      digest = image.digest();
    } else if (!image.tagSuffix().isEmpty()) {
      tag = tag + image.tagSuffix();
    }
    StringBuilder sb = new StringBuilder(name);
    if (!tag.isEmpty()) {
      sb.append(':').append(tag);
    }
    if (!digest.isEmpty()) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }

  /** Name, tag and digest of an image reference; a registry port is part of the name. */
  static String[] split(String image) {
    int slash = image.indexOf('/');
    int offset = slash > 0 ? slash : 0;
    String search = image.substring(offset);
    int at = search.indexOf('@');
    int colon = search.indexOf(':');
    if (colon < 0 && at < 0) {
      return new String[] {image, "", ""};
    }
    if (at >= 0 && (at < colon || colon < 0)) {
      return new String[] {image.substring(0, at + offset), "", image.substring(at + offset + 1)};
    }
    if (at >= 0) {
      return new String[] {
        image.substring(0, colon + offset),
        image.substring(colon + offset + 1, at + offset),
        image.substring(at + offset + 1)
      };
    }
    return new String[] {
      image.substring(0, colon + offset), image.substring(colon + offset + 1), ""
    };
  }
}
