package io.glidepath.core.diff;

import io.glidepath.core.internal.diff.JqPath;
import io.glidepath.core.internal.diff.TreePaths;
import io.glidepath.core.resource.ResourceKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ignoreDifferences} rule, as in Argo CD's Application spec: fields to leave out of the
 * comparison for resources of one group and kind, optionally of one name and namespace.
 *
 * <p>A rule without name and namespace applies to every resource of its group/kind: that is the
 * system-wide form (Argo CD's {@code resource.customizations.ignoreDifferences.<group_kind>}).
 * {@code "*"} as group or kind matches any; a {@code *} inside a group or kind matches any run of
 * characters ({@code "*.crossplane.io"}), as in Argo CD's keys.
 *
 * <ul>
 *   <li>{@code jsonPointers}: RFC 6901 pointers ({@code /spec/replicas}).
 *   <li>{@code jqPathExpressions}: a jq subset: paths ({@code .spec.replicas}, {@code
 *       .metadata.annotations["a/b"]}, {@code .list[]}, {@code .list[0]}), pipes, and {@code
 *       select(PATH == literal)} / {@code select(PATH != literal)} with a string, number, boolean
 *       or null literal. Example: {@code .spec.template.spec.containers[] | select(.name == "app")
 *       | .image}. Anything else (functions, {@code ..}, {@code and}/{@code or}) is rejected at
 *       construction with an {@link IgnoreRuleException} naming the position.
 *   <li>{@code managedFieldsManagers}: fields owned (per live {@code managedFields}) by any of
 *       these managers are not compared.
 * </ul>
 *
 * <pre>{@code
 * IgnoreDifference hpa = IgnoreDifference.of("apps", "Deployment")
 *     .withJsonPointers("/spec/replicas");
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param group API group ({@code ""} for the core group, {@code "*"} for any)
 * @param kind kind ({@code "*"} for any)
 * @param name only this name, when present
 * @param namespace only this namespace, when present
 * @param jsonPointers RFC 6901 pointers to ignore
 * @param jqPathExpressions jq-subset expressions selecting fields to ignore
 * @param managedFieldsManagers field managers whose fields are ignored
 */
public record IgnoreDifference(
    String group,
    String kind,
    Optional<String> name,
    Optional<String> namespace,
    List<String> jsonPointers,
    List<String> jqPathExpressions,
    List<String> managedFieldsManagers) {

  public IgnoreDifference {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    if (kind.isBlank()) {
      throw new IllegalArgumentException("kind must not be blank, but was \"" + kind + "\"");
    }
    jsonPointers = List.copyOf(jsonPointers);
    jqPathExpressions = List.copyOf(jqPathExpressions);
    managedFieldsManagers = List.copyOf(managedFieldsManagers);
    for (String p : jsonPointers) {
      try {
        TreePaths.parsePointer(p);
      } catch (IllegalArgumentException e) {
        throw new IgnoreRuleException(p, 0, "a JSON Pointer must be empty or start with '/'");
      }
    }
    jqPathExpressions.forEach(JqPath::parse);
  }

  /** A rule for every resource of {@code group}/{@code kind} that ignores nothing yet. */
  public static IgnoreDifference of(String group, String kind) {
    return new IgnoreDifference(
        group, kind, Optional.empty(), Optional.empty(), List.of(), List.of(), List.of());
  }

  public IgnoreDifference withName(String name) {
    return new IgnoreDifference(
        group,
        kind,
        Optional.of(name),
        namespace,
        jsonPointers,
        jqPathExpressions,
        managedFieldsManagers);
  }

  public IgnoreDifference withNamespace(String namespace) {
    return new IgnoreDifference(
        group,
        kind,
        name,
        Optional.of(namespace),
        jsonPointers,
        jqPathExpressions,
        managedFieldsManagers);
  }

  public IgnoreDifference withJsonPointers(String... pointers) {
    return new IgnoreDifference(
        group, kind, name, namespace, List.of(pointers), jqPathExpressions, managedFieldsManagers);
  }

  public IgnoreDifference withJqPathExpressions(String... expressions) {
    return new IgnoreDifference(
        group, kind, name, namespace, jsonPointers, List.of(expressions), managedFieldsManagers);
  }

  public IgnoreDifference withManagedFieldsManagers(String... managers) {
    return new IgnoreDifference(
        group, kind, name, namespace, jsonPointers, jqPathExpressions, List.of(managers));
  }

  private static boolean matches(String pattern, String value) {
    if (pattern.equals("*") || pattern.equals(value)) {
      return true;
    }
    return pattern.indexOf('*') >= 0
        && io.glidepath.core.internal.glob.Glob.of(pattern).matches(value);
  }

  /** Whether this rule applies to the resource {@code key}. */
  public boolean appliesTo(ResourceKey key) {
    return matches(group, key.group())
        && matches(kind, key.kind())
        && name.map(n -> n.equals(key.name())).orElse(true)
        && namespace.map(n -> n.equals(key.namespace())).orElse(true);
  }
}
