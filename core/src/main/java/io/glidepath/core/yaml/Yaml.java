package io.glidepath.core.yaml;

import io.glidepath.core.internal.yaml.YamlWriter;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * YAML and JSON for Kubernetes manifests, read the way kubectl and Helm read them.
 *
 * <p>kubectl and Helm parse YAML with go-yaml v2 (through sigs.k8s.io/yaml), which follows YAML 1.1
 * for plain scalars: {@code yes}, {@code on}, {@code y} are {@code true}; {@code 0644} is the octal
 * number 420; {@code 0x1F} is 31; {@code 1_000} is 1000; {@code .inf} and {@code .nan} are floats;
 * {@code ~} and {@code null} are null. Quoted scalars are always strings. Glidepath reads the same
 * way, so a manifest means here what it means to kubectl.
 *
 * <pre>{@code
 * List<Resource> objects = Yaml.readResources(Path.of("deploy.yaml"));
 * String text = Yaml.write(ResourceSet.of(objects));
 * }</pre>
 *
 * <p>Reading enforces {@link YamlLimits#ofDefaults()}; use a {@link YamlReader} for other limits.
 * Errors are {@link YamlException}s naming the file, line and column. Thread-safe.
 */
public final class Yaml {
  private static final YamlReader DEFAULT = new YamlReader(YamlLimits.ofDefaults());
  private static final YamlReader LIVE =
      DEFAULT.withDuplicateKeys(YamlReader.DuplicateKeys.LAST_WINS);

  /**
   * The mapper, built on first use: building it loads most of Jackson's databind (about 300
   * classes), which a render that only reads and writes YAML never needs.
   */
  private static final class Mapper {
    static final JsonMapper INSTANCE = JsonMapper.builder().build();
  }

  private Yaml() {}

  /** The reader with default limits. */
  public static YamlReader reader() {
    return DEFAULT;
  }

  /**
   * The reader for objects read back from a cluster ({@code kubectl get -o yaml} output, a List or
   * a stream): a key given twice keeps its last value, as kubectl's own YAML decoding does, where
   * {@link #reader()} refuses the document.
   */
  public static YamlReader liveReader() {
    return LIVE;
  }

  /** Live objects from a file, read as {@link #liveReader()} reads them. */
  public static List<Resource> readLiveResources(Path file) {
    return LIVE.readResources(file);
  }

  /** A shared Jackson 3 mapper for JSON. */
  public static JsonMapper mapper() {
    return Mapper.INSTANCE;
  }

  public static List<YamlDocument> readDocuments(String content, String source) {
    return DEFAULT.readDocuments(content, source);
  }

  public static List<YamlDocument> readDocuments(Path file) {
    return DEFAULT.readDocuments(file);
  }

  public static JsonNode readTree(String content, String source) {
    return DEFAULT.readTree(content, source);
  }

  public static JsonNode readTree(Path file) {
    return DEFAULT.readTree(file);
  }

  public static List<Resource> readResources(String content, String source) {
    return DEFAULT.readResources(content, source);
  }

  public static List<Resource> readResources(Path file) {
    return DEFAULT.readResources(file);
  }

  /** One document as YAML, without a {@code ---} line. */
  public static String write(JsonNode document) {
    return YamlWriter.write(document);
  }

  /** Documents separated by {@code ---} lines. */
  public static String writeAll(Iterable<? extends JsonNode> documents) {
    return YamlWriter.writeAll(documents);
  }

  /** The resources as a multi-document YAML stream, in order. */
  public static String write(ResourceSet resources) {
    List<JsonNode> bodies = new ArrayList<>(resources.size());
    resources.forEach(r -> bodies.add(r.body()));
    return writeAll(bodies);
  }

  /** Compact JSON. */
  public static String toJson(JsonNode node) {
    return Mapper.INSTANCE.writeValueAsString(node);
  }

  /** Indented JSON. */
  public static String toPrettyJson(JsonNode node) {
    return Mapper.INSTANCE.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  /**
   * The resources as one JSON object {@code {"apiVersion":"v1","kind":"List","items":[...]}}, the
   * form {@code kubectl get -o json} prints.
   */
  public static ObjectNode toList(ResourceSet resources) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    ArrayNode items = list.putArray("items");
    resources.forEach(r -> items.add(r.body()));
    return list;
  }
}
