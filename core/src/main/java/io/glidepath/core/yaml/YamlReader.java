package io.glidepath.core.yaml;

import io.glidepath.core.NotUtf8Exception;
import io.glidepath.core.Origin;
import io.glidepath.core.Utf8;
import io.glidepath.core.internal.yaml.DepthLimitedParser;
import io.glidepath.core.internal.yaml.NodeConverter;
import io.glidepath.core.internal.yaml.Yaml11Resolver;
import io.glidepath.core.resource.InvalidResourceException;
import io.glidepath.core.resource.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;

/**
 * Reads YAML streams with the meaning kubectl and Helm give them, within {@link YamlLimits}.
 *
 * <p>Use {@link Yaml} for the defaults; build a reader only for other limits: {@code new
 * YamlReader(new YamlLimits(1 << 20, 10, 50, 100_000))}.
 *
 * <p>Thread-safe: a reader holds only its limits.
 */
public final class YamlReader {
  /** What a reader does with a key given twice in one map. */
  public enum DuplicateKeys {
    /** Refuse the document, naming the key and its line (the default, as kubectl does). */
    REFUSE,
    /**
     * Keep the key's last value, as go-yaml v2 and {@code sigs.k8s.io/yaml} do: kustomize reads
     * kustomization files this way, and objects read back from {@code kubectl get -o yaml} may
     * carry such keys.
     */
    LAST_WINS,
    /**
     * Keep the key's first value: kustomize reads strategic merge patches this way (a later repeat
     * of a key in a patch has no effect).
     */
    FIRST_WINS
  }

  private final YamlLimits limits;
  private final DuplicateKeys duplicateKeys;

  public YamlReader(YamlLimits limits) {
    this(limits, DuplicateKeys.REFUSE);
  }

  public YamlReader(YamlLimits limits, DuplicateKeys duplicateKeys) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.duplicateKeys = Objects.requireNonNull(duplicateKeys, "duplicateKeys");
  }

  public YamlLimits limits() {
    return limits;
  }

  public DuplicateKeys duplicateKeys() {
    return duplicateKeys;
  }

  /** A reader with these limits that treats a key given twice as {@code duplicateKeys} says. */
  public YamlReader withDuplicateKeys(DuplicateKeys duplicateKeys) {
    return new YamlReader(limits, duplicateKeys);
  }

  /** The documents of {@code content}, empty documents left out. */
  public List<YamlDocument> readDocuments(String content, String source) {
    List<YamlDocument> docs = new ArrayList<>();
    forEachDocument(
        content,
        source,
        (node, converter, origin) -> docs.add(new YamlDocument(converter.convert(node), origin)));
    return docs;
  }

  public List<YamlDocument> readDocuments(Path file) {
    return readDocuments(readFile(file), file.toString());
  }

  /**
   * The single document of {@code content}; an empty input gives {@code NullNode}.
   *
   * @throws YamlException when there is more than one document
   */
  public JsonNode readTree(String content, String source) {
    List<YamlDocument> docs = readDocuments(content, source);
    if (docs.size() > 1) {
      throw new YamlException(
          docs.get(1).origin(), "expected one YAML document, found " + docs.size());
    }
    return docs.isEmpty()
        ? tools.jackson.databind.node.JsonNodeFactory.instance.nullNode()
        : docs.get(0).content();
  }

  public JsonNode readTree(Path file) {
    return readTree(readFile(file), file.toString());
  }

  /**
   * The Kubernetes objects in {@code content}: one per non-empty document, and one per item of a
   * {@code kind: List} (the way {@code kubectl apply -f} expands it).
   *
   * @throws InvalidResourceException when a document is not an object with apiVersion, kind and
   *     metadata.name
   */
  public List<Resource> readResources(String content, String source) {
    List<Resource> resources = new ArrayList<>();
    forEachDocument(
        content,
        source,
        (node, converter, origin) -> {
          SequenceNode items = listItems(node);
          if (items == null) {
            resources.add(Resource.of(converter.convert(node), origin));
            return;
          }
          for (Node item : items.getValue()) {
            Origin itemOrigin = converter.originOf(item);
            if (item instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
              continue;
            }
            resources.add(Resource.of(converter.convert(item), itemOrigin));
          }
        });
    return resources;
  }

  public List<Resource> readResources(Path file) {
    return readResources(readFile(file), file.toString());
  }

  /** The {@code items} of a {@code kind: List} document whose apiVersion is v1, else null. */
  private static SequenceNode listItems(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      return null;
    }
    boolean isList = false;
    SequenceNode items = null;
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k) {
        if ("kind".equals(k.getValue())
            && t.getValueNode() instanceof ScalarNode v
            && v.getValue().endsWith("List")
            && v.getTag().equals(Tag.STR)) {
          isList = true;
        } else if ("items".equals(k.getValue()) && t.getValueNode() instanceof SequenceNode s) {
          items = s;
        }
      }
    }
    return isList && items != null ? items : null;
  }

  private interface DocumentHandler {
    void handle(Node node, NodeConverter converter, Origin origin);
  }

  private void forEachDocument(String content, String source, DocumentHandler handler) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(source, "source");
    checkSize(content, source);
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setSchema(Yaml11Resolver.INSTANCE)
            .setAllowDuplicateKeys(true) // checked by NodeConverter, with the key's position
            .setAllowNonScalarKeys(true) // refused by NodeConverter, with the key's position
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(limits.maxAliases())
            .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes() + 1))
            .setUseMarks(true)
            .build();
    int[] documentIndex = {0};
    Iterator<Node> it =
        new Composer(
            settings,
            new DepthLimitedParser(
                new ParserImpl(settings, new StreamReader(settings, content)),
                limits.maxDepth(),
                mark ->
                    mark == null
                        ? new Origin(source, documentIndex[0], 0, 0)
                        : new Origin(
                            source, documentIndex[0], mark.getLine() + 1, mark.getColumn() + 1)));
    int index = 0;
    while (true) {
      Node node;
      Origin docOrigin = new Origin(source, index, 0, 0);
      try {
        if (!it.hasNext()) {
          break;
        }
        node = it.next();
      } catch (MarkedYamlEngineException e) {
        throw translate(e, docOrigin);
      } catch (YamlEngineException e) {
        throw new YamlException(docOrigin, describe(e.getMessage()), e);
      }
      NodeConverter converter = new NodeConverter(limits, docOrigin, duplicateKeys);
      Origin origin = converter.originOf(node);
      index++;
      documentIndex[0] = index;
      if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
        continue; // an empty document
      }
      handler.handle(node, converter, origin);
    }
  }

  private static YamlException translate(MarkedYamlEngineException e, Origin doc) {
    Origin at =
        e.getProblemMark()
            .or(e::getContextMark)
            .map(m -> doc.at(m.getLine() + 1, m.getColumn() + 1))
            .orElse(doc);
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    if (e.getContext() != null && !e.getContext().isBlank()) {
      problem = problem + " (" + e.getContext().strip() + ")";
    }
    return new YamlException(at, describe(problem), e);
  }

  private static String describe(String message) {
    if (message != null && message.startsWith("Number of aliases for non-scalar nodes exceeds")) {
      return "too many aliases in one document (limit "
          + message.replaceAll(".*max=(\\d+).*", "$1")
          + "): aliases can expand a small file into a huge one";
    }
    return message == null ? "invalid YAML" : message.strip();
  }

  private void checkSize(String content, String source) {
    long max = limits.maxBytes();
    if ((long) content.length() * 3 <= max) {
      return;
    }
    long bytes = content.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > max) {
      throw new YamlException(
          Origin.of(source), "input is " + bytes + " bytes, more than the limit of " + max);
    }
  }

  private String readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > limits.maxBytes()) {
        throw new YamlException(
            Origin.of(file.toString()),
            "file is " + size + " bytes, more than the limit of " + limits.maxBytes());
      }
      return Utf8.read(file, file.toString());
    } catch (NoSuchFileException e) {
      throw new YamlException(Origin.of(file.toString()), "no such file", e);
    } catch (NotUtf8Exception e) {
      throw new YamlException(
          Origin.of(file.toString()),
          "file is not valid UTF-8 text: the byte at offset " + e.byteOffset() + " is not UTF-8",
          e);
    } catch (IOException e) {
      throw new YamlException(Origin.of(file.toString()), "cannot read: " + e.getMessage(), e);
    }
  }
}
