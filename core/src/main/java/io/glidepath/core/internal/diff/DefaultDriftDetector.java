package io.glidepath.core.internal.diff;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.diff.PatchOperation;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.Hook;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link DriftDetector} behind {@link DriftDetector#of}. Immutable and thread-safe. */
public final class DefaultDriftDetector implements DriftDetector {
  private final DiffOptions options;
  private final List<CompiledRule> rules;

  private record CompiledRule(
      IgnoreDifference rule, List<List<String>> pointers, List<JqPath> jq) {}

  public DefaultDriftDetector(DiffOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    List<CompiledRule> compiled = new ArrayList<>();
    for (IgnoreDifference rule : options.ignoreDifferences()) {
      List<List<String>> pointers = new ArrayList<>();
      rule.jsonPointers().forEach(p -> pointers.add(TreePaths.parsePointer(p)));
      List<JqPath> jq = new ArrayList<>();
      rule.jqPathExpressions().forEach(e -> jq.add(JqPath.parse(e)));
      compiled.add(new CompiledRule(rule, List.copyOf(pointers), List.copyOf(jq)));
    }
    this.rules = List.copyOf(compiled);
  }

  @Override
  public DriftReport detect(ResourceSet desired, ResourceSet live) {
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(live, "live");
    List<ResourceDrift> drifts = new ArrayList<>(desired.size() + 4);
    List<ResourceDrift> hooks = new ArrayList<>();
    // live sets are often listed in desired order: try the next live resource before a lookup
    Iterator<Resource> liveInOrder = live.iterator();
    Resource nextLive = liveInOrder.hasNext() ? liveInOrder.next() : null;
    int matched = 0;
    for (Resource d : desired) {
      ResourceKey key = d.key();
      Resource l;
      if (nextLive != null && nextLive.key().equals(key)) {
        l = nextLive;
        nextLive = liveInOrder.hasNext() ? liveInOrder.next() : null;
      } else {
        l = live.get(key).orElse(null);
      }
      ResourceDrift drift;
      if (l != null) {
        matched++;
        drift = compare(d, l);
      } else {
        drift = missing(d);
      }
      (isHook(d) ? hooks : drifts).add(drift);
    }
    // keys are unique: when every live resource had a desired one, none is extraneous
    if (matched < live.size()) {
      for (Resource l : live) {
        // live hooks are removed by their deletion policy, never pruned
        if (!desired.contains(l.key()) && !isHook(l)) {
          drifts.add(extraneous(l));
        }
      }
    }
    return DriftReport.of(drifts, hooks);
  }

  @Override
  public ResourceDrift compare(Resource desired, Resource live) {
    ResourceKey key = desired.key();
    if (!key.equals(live.key())) {
      throw new IllegalArgumentException(
          "desired " + key + " and live " + live.key() + " are different objects");
    }
    SecretShape.check(desired);
    SecretShape.check(live);
    List<CompiledRule> applicable = applicable(key);
    Set<String> ignoredManagers = Set.of();
    if (!applicable.isEmpty()) {
      ignoredManagers = new HashSet<>();
      for (CompiledRule r : applicable) {
        ignoredManagers.addAll(r.rule().managedFieldsManagers());
      }
    }
    Ownership ownership =
        Ownership.of(
            live.body(),
            options.fieldManager(),
            options.manualEditManagers(),
            ignoredManagers,
            lastApplied(annotations(live.body())));
    boolean secret = isSecret(key);
    Set<String> sensitive =
        sensitiveAnnotations(annotations(desired.body()), annotations(live.body()));
    if (applicable.isEmpty()
        && !secret
        && sensitive.isEmpty()
        && Aligner.alignsEqual(desired.body(), live.body(), ownership)) {
      return ResourceDrift.synced(
          key,
          desired,
          live,
          () -> {
            Aligner.Pair p = Aligner.align(desired.body(), live.body(), ownership);
            // copies: the aligned trees share subtrees with the resources
            return new JsonNode[] {p.desired().deepCopy(), p.live().deepCopy()};
          });
    }
    // Secrets are normalized on a copy (stringData); everything else is aligned in place
    Aligner.Pair pair =
        secret
            ? Aligner.align(
                Normalizer.normalize(desired.body()), Normalizer.normalize(live.body()), ownership)
            : Aligner.align(desired.body(), live.body(), ownership);
    if (!applicable.isEmpty() || secret || !sensitive.isEmpty()) {
      // the aligned trees share subtrees with the resources: copy before changing them
      pair = new Aligner.Pair(pair.desired().deepCopy(), pair.live().deepCopy());
    }
    for (CompiledRule rule : applicable) {
      ignore(pair.desired(), rule);
      ignore(pair.live(), rule);
    }
    if (secret || !sensitive.isEmpty()) {
      SecretMasker.maskAll(List.of(pair.desired(), pair.live()), secret, sensitive);
    }
    boolean equal = pair.desired().equals(pair.live());
    List<PatchOperation> patch = equal ? List.of() : PatchBuilder.diff(pair.live(), pair.desired());
    return ResourceDrift.of(
        key,
        equal ? DriftStatus.SYNCED : DriftStatus.MODIFIED,
        Optional.of(desired),
        Optional.of(live),
        Optional.of(pair.desired()),
        Optional.of(pair.live()),
        patch);
  }

  private ResourceDrift missing(Resource desired) {
    SecretShape.check(desired);
    ObjectNode tree = Normalizer.normalize(desired.body());
    for (CompiledRule rule : applicable(desired.key())) {
      ignore(tree, rule);
    }
    mask(desired.key(), List.of(tree), desired.body());
    return ResourceDrift.of(
        desired.key(),
        DriftStatus.MISSING,
        Optional.of(desired),
        Optional.empty(),
        Optional.of(tree),
        Optional.empty(),
        List.of());
  }

  private ResourceDrift extraneous(Resource live) {
    SecretShape.check(live);
    ObjectNode tree = Normalizer.normalize(live.body());
    mask(live.key(), List.of(tree), live.body());
    return ResourceDrift.of(
        live.key(),
        DriftStatus.EXTRANEOUS,
        Optional.empty(),
        Optional.of(live),
        Optional.empty(),
        Optional.of(tree),
        List.of());
  }

  private static void mask(ResourceKey key, List<ObjectNode> trees, JsonNode... originals) {
    boolean secret = isSecret(key);
    Set<String> sensitive = Set.of();
    for (JsonNode original : originals) {
      Set<String> more = SecretMasker.sensitiveAnnotationsIn(annotations(original));
      if (!more.isEmpty()) {
        sensitive = new LinkedHashSet<>(sensitive);
        sensitive.addAll(more);
      }
    }
    if (secret || !sensitive.isEmpty()) {
      SecretMasker.maskAll(trees, secret, sensitive);
    }
  }

  private static boolean isHook(Resource r) {
    return Hook.isHook(r);
  }

  private static boolean isSecret(ResourceKey key) {
    return key.group().isEmpty() && key.kind().equals("Secret");
  }

  private static Set<String> sensitiveAnnotations(JsonNode... annotationNodes) {
    Set<String> sensitive = Set.of();
    for (JsonNode annotations : annotationNodes) {
      Set<String> s = SecretMasker.sensitiveAnnotationsIn(annotations);
      if (!s.isEmpty()) {
        if (sensitive.isEmpty()) {
          sensitive = new LinkedHashSet<>();
        }
        sensitive.addAll(s);
      }
    }
    return sensitive;
  }

  private List<CompiledRule> applicable(ResourceKey key) {
    if (rules.isEmpty()) {
      return List.of();
    }
    List<CompiledRule> out = new ArrayList<>();
    for (CompiledRule r : rules) {
      if (r.rule().appliesTo(key)) {
        out.add(r);
      }
    }
    return out;
  }

  private static void ignore(JsonNode tree, CompiledRule rule) {
    List<List<Object>> paths = new ArrayList<>();
    for (List<String> pointer : rule.pointers()) {
      List<Object> path = TreePaths.resolve(tree, pointer);
      if (path != null) {
        paths.add(path);
      }
    }
    for (JqPath jq : rule.jq()) {
      paths.addAll(jq.select(tree));
    }
    TreePaths.removeAll(tree, paths);
  }

  private static JsonNode annotations(JsonNode body) {
    JsonNode metadata = body.get("metadata");
    JsonNode annotations = metadata == null ? null : metadata.get("annotations");
    return annotations == null
        ? tools.jackson.databind.node.MissingNode.getInstance()
        : annotations;
  }

  private static JsonNode lastApplied(JsonNode annotations) {
    JsonNode text = annotations.path(Normalizer.LAST_APPLIED);
    if (!text.isString()) {
      return null;
    }
    try {
      JsonNode parsed = Yaml.mapper().readTree(text.stringValue());
      if (!(parsed instanceof ObjectNode object)) {
        return null;
      }
      ObjectNode normalized = object.deepCopy();
      Normalizer.normalizeInPlace(normalized);
      return normalized;
    } catch (JacksonException e) {
      // an unreadable annotation is treated as absent; its content may be secret, so not logged
      return null;
    }
  }
}
