package io.glidepath.core.argocd;

import io.glidepath.core.Origin;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The parts of Argo CD's {@code argocd-cm} ConfigMap that shape health, diffing and what is
 * managed, so that one {@code argocd-cm} configures Glidepath as it configures Argo CD.
 *
 * <table>
 *   <caption>Keys read</caption>
 *   <tr><th>key</th><th>meaning here</th></tr>
 *   <tr><td>{@code resource.customizations.health.<group>_<kind>}</td><td>a Lua health script
 *       ({@link #healthScripts()}); {@code <kind>} alone for the core group; {@code *} wildcards
 *       ({@code *.upbound.io_*})</td></tr>
 *   <tr><td>{@code resource.customizations.useOpenLibs.<group>_<kind>}</td><td>that script may
 *       use all of Lua's standard libraries</td></tr>
 *   <tr><td>{@code resource.customizations.ignoreDifferences.<group>_<kind>} (and {@code .all})
 *       </td><td>{@code jsonPointers}, {@code jqPathExpressions}, {@code managedFieldsManagers}
 *       left out of every comparison ({@link #ignoreDifferences()})</td></tr>
 *   <tr><td>{@code resource.customizations}</td><td>the nested form: a YAML map from {@code
 *       group/Kind} to {@code health.lua}, {@code health.lua.useOpenLibs}, {@code
 *       ignoreDifferences}; a split key above wins over the same field here, as in Argo
 *       CD</td></tr>
 *   <tr><td>{@code resource.exclusions}, {@code resource.inclusions}</td><td>{@link
 *       #resourceFilter()}</td></tr>
 *   <tr><td>{@code resource.customizations.actions.*}, {@code ...ignoreResourceUpdates.*}, {@code
 *       resource.ignoreResourceUpdatesEnabled}, and keys outside {@code resource.*}</td><td>not
 *       used: they change nothing Glidepath computes; listed in {@link #notHonoured()}</td></tr>
 *   <tr><td>{@code resource.customizations.knownTypeFields.*}, {@code resource.compareoptions},
 *       other {@code resource.*} keys</td><td>refused ({@link ArgoCdSettingsException}), since
 *       dropping them would change a diff; with {@link Unsupported#REPORT} listed in {@link
 *       #notHonoured()} instead</td></tr>
 * </table>
 *
 * <pre>{@code
 * ArgoCdSettings settings = ArgoCdSettings.read(Path.of("argocd-cm.yaml"));
 * HealthAssessor health = HealthAssessor.builder().argoCdSettings(settings).build();
 * DiffOptions diff = DiffOptions.builder().ignoreDifferences(settings.ignoreDifferences()).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ArgoCdSettings {
  private static final String HEALTH = "resource.customizations.health.";
  private static final String OPEN_LIBS = "resource.customizations.useOpenLibs.";
  private static final String IGNORE = "resource.customizations.ignoreDifferences.";
  private static final String NESTED = "resource.customizations";

  /** What to do with a {@code resource.*} key Glidepath does not honour and that matters. */
  public enum Unsupported {
    /** Refuse the settings with an {@link ArgoCdSettingsException} naming the key (default). */
    REFUSE,
    /** Accept the settings and list the key in {@link #notHonoured()}. */
    REPORT
  }

  private static final ArgoCdSettings EMPTY =
      new ArgoCdSettings(List.of(), List.of(), ResourceFilter.NONE, Map.of());

  private final List<HealthScript> healthScripts;
  private final List<IgnoreDifference> ignoreDifferences;
  private final ResourceFilter resourceFilter;
  private final Map<String, String> notHonoured;

  private ArgoCdSettings(
      List<HealthScript> healthScripts,
      List<IgnoreDifference> ignoreDifferences,
      ResourceFilter resourceFilter,
      Map<String, String> notHonoured) {
    this.healthScripts = List.copyOf(healthScripts);
    this.ignoreDifferences = List.copyOf(ignoreDifferences);
    this.resourceFilter = resourceFilter;
    this.notHonoured = Collections.unmodifiableMap(new LinkedHashMap<>(notHonoured));
  }

  /** No customizations. */
  public static ArgoCdSettings empty() {
    return EMPTY;
  }

  /**
   * The settings of the ConfigMap in {@code file} (a single ConfigMap, or a stream holding one
   * named {@code argocd-cm}).
   *
   * @throws ArgoCdSettingsException when the file holds no such ConfigMap or a key is bad
   * @throws YamlException when the file is not YAML
   */
  public static ArgoCdSettings read(Path file) {
    return read(file, Unsupported.REFUSE);
  }

  /** As {@link #read(Path)}, with {@code unsupported} deciding about keys not honoured. */
  public static ArgoCdSettings read(Path file, Unsupported unsupported) {
    List<Resource> docs = Yaml.readResources(file);
    List<Resource> maps =
        docs.stream().filter(r -> r.kind().equals("ConfigMap") && r.group().isEmpty()).toList();
    Resource cm =
        maps.size() == 1
            ? maps.get(0)
            : maps.stream()
                .filter(r -> r.name().equals("argocd-cm"))
                .findFirst()
                .orElseThrow(
                    () ->
                        new ArgoCdSettingsException(
                            Origin.of(file.toString()),
                            "",
                            maps.isEmpty()
                                ? "no ConfigMap in the file (expected Argo CD's argocd-cm)"
                                : "several ConfigMaps and none named argocd-cm"));
    return of(cm, unsupported);
  }

  /** The settings of an {@code argocd-cm} ConfigMap object. */
  public static ArgoCdSettings of(Resource configMap) {
    return of(configMap, Unsupported.REFUSE);
  }

  /** As {@link #of(Resource)}, with {@code unsupported} deciding about keys not honoured. */
  public static ArgoCdSettings of(Resource configMap, Unsupported unsupported) {
    Objects.requireNonNull(configMap, "configMap");
    Objects.requireNonNull(unsupported, "unsupported");
    Origin origin = configMap.origin();
    if (!configMap.kind().equals("ConfigMap") || !configMap.apiVersion().equals("v1")) {
      throw new ArgoCdSettingsException(
          origin,
          "",
          "expected a v1 ConfigMap, found " + configMap.apiVersion() + " " + configMap.kind());
    }
    return new Parser(origin, unsupported).parse(configMap.body().path("data"));
  }

  /** The Lua health scripts, one per key, in key order. */
  public List<HealthScript> healthScripts() {
    return healthScripts;
  }

  /**
   * The system-wide ignore rules ({@link
   * io.glidepath.core.diff.DiffOptions.Builder#ignoreDifferences}).
   */
  public List<IgnoreDifference> ignoreDifferences() {
    return ignoreDifferences;
  }

  /** {@code resource.exclusions} and {@code resource.inclusions}. */
  public ResourceFilter resourceFilter() {
    return resourceFilter;
  }

  /** Keys read but not honoured, each with why. */
  public Map<String, String> notHonoured() {
    return notHonoured;
  }

  @Override
  public String toString() {
    return "ArgoCdSettings{healthScripts="
        + healthScripts.size()
        + ", ignoreDifferences="
        + ignoreDifferences.size()
        + ", exclusions="
        + resourceFilter.exclusions().size()
        + ", inclusions="
        + resourceFilter.inclusions().size()
        + "}";
  }

  /** One pass over the ConfigMap's data. */
  private static final class Parser {
    private final Origin origin;
    private final Unsupported unsupported;
    private final Map<String, String> scripts = new LinkedHashMap<>(); // override key -> script
    private final Map<String, String> scriptKeys = new LinkedHashMap<>(); // override key -> cm key
    private final Map<String, Boolean> openLibs = new LinkedHashMap<>();
    private final Map<String, IgnoreDifference> ignores = new LinkedHashMap<>();
    private final Map<String, String> notHonoured = new LinkedHashMap<>();
    private ResourceFilter filter = ResourceFilter.NONE;

    Parser(Origin origin, Unsupported unsupported) {
      this.origin = origin;
      this.unsupported = unsupported;
    }

    ArgoCdSettings parse(JsonNode data) {
      if (data.isMissingNode() || data.isNull()) {
        return EMPTY;
      }
      if (!data.isObject()) {
        throw new ArgoCdSettingsException(origin, "data", "must be a map of strings");
      }
      Map<String, String> values = new java.util.TreeMap<>();
      for (Map.Entry<String, JsonNode> e : data.properties()) {
        if (!e.getValue().isString()) {
          throw new ArgoCdSettingsException(
              origin,
              e.getKey(),
              "a ConfigMap value must be a string, found " + e.getValue().getNodeType());
        }
        values.put(e.getKey(), e.getValue().stringValue());
      }
      // the nested form first: split keys win over it, as in Argo CD
      if (values.containsKey(NESTED)) {
        nested(values.get(NESTED));
      }
      List<ResourceFilter.Rule> exclusions = List.of();
      List<ResourceFilter.Rule> inclusions = List.of();
      for (Map.Entry<String, String> e : values.entrySet()) {
        String key = e.getKey();
        String value = e.getValue();
        if (key.equals(NESTED)) {
          continue;
        } else if (key.startsWith(HEALTH)) {
          String ok = overrideKey(key, key.substring(HEALTH.length()));
          scripts.put(ok, value);
          scriptKeys.put(ok, key);
        } else if (key.startsWith(OPEN_LIBS)) {
          openLibs.put(overrideKey(key, key.substring(OPEN_LIBS.length())), bool(key, value));
        } else if (key.startsWith(IGNORE)) {
          String gk = key.substring(IGNORE.length());
          String ok = gk.equals("all") ? "*/*" : overrideKey(key, gk);
          ignores.put(ok, ignoreRule(key, ok, value));
        } else if (key.equals("resource.exclusions")) {
          exclusions = rules(key, value);
        } else if (key.equals("resource.inclusions")) {
          inclusions = rules(key, value);
        } else if (key.startsWith("resource.customizations.actions.")
            || key.startsWith("resource.customizations.ignoreResourceUpdates.")
            || key.equals("resource.ignoreResourceUpdatesEnabled")
            || key.equals("resource.respectRBAC")
            || key.equals("resource.includeEventLabelKeys")
            || key.equals("resource.excludeEventLabelKeys")) {
          notHonoured.put(
              key, "changes nothing Glidepath computes (Argo CD UI, events or watch tuning)");
        } else if (key.startsWith("resource.")) {
          unsupported(
              key,
              "Glidepath does not honour this key, and dropping it would change a diff or the managed resources");
        } else {
          notHonoured.put(key, "not a resource setting: Glidepath does not read it");
        }
      }
      filter = new ResourceFilter(exclusions, inclusions);
      List<HealthScript> out = new ArrayList<>();
      for (Map.Entry<String, String> s : scripts.entrySet()) {
        String ok = s.getKey();
        int slash = ok.indexOf('/');
        String group = slash < 0 ? "" : ok.substring(0, slash);
        String kind = slash < 0 ? ok : ok.substring(slash + 1);
        if (s.getValue().isBlank()) {
          continue; // Argo CD skips an empty script
        }
        out.add(
            new HealthScript(
                scriptKeys.get(ok),
                group,
                kind,
                s.getValue(),
                openLibs.getOrDefault(ok, false),
                origin));
      }
      return new ArgoCdSettings(out, List.copyOf(ignores.values()), filter, notHonoured);
    }

    private void unsupported(String key, String why) {
      if (unsupported == Unsupported.REFUSE) {
        throw new ArgoCdSettingsException(
            origin, key, why + " (read with Unsupported.REPORT to accept the settings without it)");
      }
      notHonoured.put(key, why);
    }

    /** Argo CD's {@code <group>_<kind>} (or {@code <kind>}) to {@code group/kind}. */
    private String overrideKey(String key, String groupKind) {
      String[] parts = groupKind.split("_", -1);
      if (parts.length == 2 && !parts[1].isEmpty()) {
        return parts[0] + "/" + parts[1];
      }
      if (parts.length == 1 && !groupKind.isEmpty()) {
        return groupKind;
      }
      throw new ArgoCdSettingsException(
          origin,
          key,
          "group kind should be in format `resource.customizations.<type>.<group_kind>` or"
              + " `resource.customizations.<type>.<kind>`, got group kind: '"
              + groupKind
              + "'");
    }

    private boolean bool(String key, String value) {
      switch (value) {
        case "1", "t", "T", "TRUE", "true", "True" -> {
          return true;
        }
        case "0", "f", "F", "FALSE", "false", "False" -> {
          return false;
        }
        default ->
            throw new ArgoCdSettingsException(
                origin, key, "expected true or false, found \"" + value + "\"");
      }
    }

    private JsonNode yaml(String key, String value) {
      try {
        return Yaml.readTree(value, origin + " " + key);
      } catch (YamlException e) {
        throw new ArgoCdSettingsException(origin, key, "not valid YAML: " + e.getMessage());
      }
    }

    private IgnoreDifference ignoreRule(String key, String overrideKey, String value) {
      JsonNode n = yaml(key, value);
      if (n.isMissingNode() || n.isNull()) {
        n = Yaml.mapper().createObjectNode();
      }
      if (!n.isObject()) {
        throw new ArgoCdSettingsException(
            origin,
            key,
            "expected a map with jsonPointers, jqPathExpressions or managedFieldsManagers");
      }
      for (Map.Entry<String, JsonNode> f : n.properties()) {
        if (!List.of("jsonPointers", "jqPathExpressions", "managedFieldsManagers")
            .contains(f.getKey())) {
          throw new ArgoCdSettingsException(
              origin,
              key,
              "unknown field "
                  + f.getKey()
                  + " (expected jsonPointers, jqPathExpressions or managedFieldsManagers)");
        }
      }
      int slash = overrideKey.indexOf('/');
      String group = slash < 0 ? "" : overrideKey.substring(0, slash);
      String kind = slash < 0 ? overrideKey : overrideKey.substring(slash + 1);
      try {
        return new IgnoreDifference(
            group,
            kind,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            strings(key, n, "jsonPointers"),
            strings(key, n, "jqPathExpressions"),
            strings(key, n, "managedFieldsManagers"));
      } catch (RuntimeException e) {
        throw new ArgoCdSettingsException(origin, key, e.getMessage());
      }
    }

    private List<String> strings(String key, JsonNode n, String field) {
      JsonNode list = n.path(field);
      if (list.isMissingNode() || list.isNull()) {
        return List.of();
      }
      if (!list.isArray()) {
        throw new ArgoCdSettingsException(origin, key, field + " must be a list of strings");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode s : list) {
        if (!s.isString()) {
          throw new ArgoCdSettingsException(origin, key, field + " must be a list of strings");
        }
        out.add(s.stringValue());
      }
      return out;
    }

    private List<ResourceFilter.Rule> rules(String key, String value) {
      JsonNode n = yaml(key, value);
      if (n.isMissingNode() || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw new ArgoCdSettingsException(
            origin, key, "expected a list of {apiGroups, kinds, clusters}");
      }
      List<ResourceFilter.Rule> out = new ArrayList<>();
      for (JsonNode r : n) {
        if (!r.isObject()) {
          throw new ArgoCdSettingsException(
              origin, key, "expected a list of {apiGroups, kinds, clusters}");
        }
        for (Map.Entry<String, JsonNode> f : r.properties()) {
          if (!List.of("apiGroups", "kinds", "clusters").contains(f.getKey())) {
            throw new ArgoCdSettingsException(
                origin,
                key,
                "unknown field " + f.getKey() + " (expected apiGroups, kinds, clusters)");
          }
        }
        out.add(
            new ResourceFilter.Rule(
                strings(key, r, "apiGroups"),
                strings(key, r, "kinds"),
                strings(key, r, "clusters")));
      }
      return out;
    }

    /** The nested {@code resource.customizations} form. */
    private void nested(String value) {
      JsonNode n = yaml(NESTED, value);
      if (n.isMissingNode() || n.isNull()) {
        return;
      }
      if (!n.isObject()) {
        throw new ArgoCdSettingsException(
            origin, NESTED, "expected a map from group/Kind to customizations");
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String gk = e.getKey();
        String where = NESTED + " " + gk;
        JsonNode o = e.getValue();
        if (!o.isObject()) {
          throw new ArgoCdSettingsException(origin, where, "expected a map of customizations");
        }
        for (Map.Entry<String, JsonNode> f : o.properties()) {
          String field = f.getKey();
          JsonNode v = f.getValue();
          switch (field) {
            case "health.lua" -> {
              scripts.put(gk, text(where, field, v));
              scriptKeys.put(gk, where + " health.lua");
            }
            case "health.lua.useOpenLibs", "useOpenLibs" ->
                openLibs.put(
                    gk,
                    v.isBoolean()
                        ? v.booleanValue()
                        : bool(where + " " + field, text(where, field, v)));
            case "ignoreDifferences" -> {
              String text = v.isString() ? v.stringValue() : Yaml.write(v);
              ignores.put(gk, ignoreRule(where + " ignoreDifferences", gk, text));
            }
            case "actions", "ignoreResourceUpdates" ->
                notHonoured.put(
                    where + " " + field,
                    "changes nothing Glidepath computes (Argo CD UI or watch tuning)");
            default ->
                unsupported(
                    where + " " + field,
                    "Glidepath does not honour this customization, and dropping it would change a diff");
          }
        }
      }
    }

    private String text(String where, String field, JsonNode v) {
      if (!v.isString()) {
        throw new ArgoCdSettingsException(origin, where + " " + field, "expected a string");
      }
      return v.stringValue();
    }
  }
}
